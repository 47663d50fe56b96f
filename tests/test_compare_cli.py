"""The degann-compare command: runs, resumes, reports, refuses bad values."""

import csv
import math
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from degann.experiments.compare import main

TINY = ["--epochs", "2", "--points", "80", "--layers", "1", "--units", "4",
        "--time-steps", "3", "--seeds", "1"]


def _rows(out):
    with open(out / "results.csv", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory):
    pytest.importorskip("tensorflow")
    out = tmp_path_factory.mktemp("compare") / "out"
    code = main([*TINY, "--out", str(out)])
    return code, out


def test_tiny_run_writes_the_three_files(tiny_run):
    code, out = tiny_run
    assert code == 0
    for name in ("hardsin.png", "report.md", "results.csv", "summary.png"):
        assert (out / name).exists()
    assert (out / "hardsin.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_results_csv_has_one_finite_row_per_network(tiny_run):
    _, out = tiny_run
    rows = _rows(out)
    assert [r["net_type"] for r in rows] == ["GRUNet", "DenseNet"]
    for row in rows:
        assert row["function"] == "hardsin" and row["mode"] == "sequence"
        assert (row["epochs"], row["time_steps"], row["seed"]) == ("2", "3", "1")
        for column in ("train_mse", "val_mse", "val_mae", "val_max_abs", "rollout_mse",
                       "train_seconds", "seconds_per_epoch"):
            value = float(row[column])
            assert math.isfinite(value) and value >= 0
        assert float(row["val_max_abs"]) ** 2 >= float(row["val_mse"])
        assert int(row["parameters"]) > 0 and 1 <= int(row["best_epoch"]) <= 2


def test_report_answers_the_questions_and_quotes_the_command(tiny_run):
    _, out = tiny_run
    text = (out / "report.md").read_text()
    assert "**RQ1** (after 2 epochs)" in text and "**RQ2**" in text
    assert "no significance test is possible" in text  # a single pair
    assert "degann-compare --epochs 2 --points 80" in text
    assert "![hardsin: truth vs both networks, loss curves](hardsin.png)" in text


@pytest.mark.parametrize(
    "args, message",
    [
        (["--epochs", "-5"], "--epochs: must be >= 1, got -5"),
        (["--epochs", "ten"], "--epochs: expected an integer"),
        (["--epochs", "2,2"], "lists a value twice"),
        (["--functions", "hardsine"], "did you mean 'hardsin'"),
        (["--nets", "LSTM"], "unknown net_type 'LSTM'"),
        (["--time-steps", "5000"], "time_steps=5000 is too long"),
        (["--noise", "-0.1"], "--noise: must be >= 0"),
        (["--mode", "series"], "invalid choice: 'series'"),
        (["--seeds", "4294967296"], "--seeds/--seed: must be <= 4294967295"),
        (["--units", "50000"], "--units: must be <= 4096"),
        (["--points", "10000000000"], "--points: must be <= 1000000"),
        (["--noise", "1e39"], "beyond the float32 range"),
        (["--lr", "1e30"], "--lr: must be <= 1e+06"),
        (["--workers", "0"], "--workers: must be >= 1"),
        (["--out", "/proc/degann-results"], "argument --out: cannot write results"),
        (["--out", ""], "argument --out: cannot write results"),
    ],
)
def test_bad_values_exit_2_with_one_line(capsys, args, message):
    with pytest.raises(SystemExit) as exit_info:
        main(args)
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert message in err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_module_entry_point_exits_2_without_traceback():
    process = subprocess.run(
        [sys.executable, "-m", "degann.experiments.compare", "--epochs", "0"],
        capture_output=True, text=True, timeout=120,
    )
    assert process.returncode == 2
    assert process.stderr.strip() == (
        "degann-compare: error: argument --epochs: must be >= 1, got 0"
    )


def test_out_under_a_file_is_refused_before_training(tmp_path, capsys):
    (tmp_path / "file").write_text("x")
    with pytest.raises(SystemExit) as exit_info:
        main(["--out", str(tmp_path / "file" / "sub")])
    assert exit_info.value.code == 2
    assert "cannot write results" in capsys.readouterr().err


def test_tiny_grid_end_to_end_and_report_numbers_match_the_csv(tmp_path):
    pytest.importorskip("tensorflow")
    args = ["--functions", "sin,hardsin", "--epochs", "1,2", "--seeds", "0,1",
            *TINY[2:8], "--out", str(tmp_path)]
    assert main(args) == 0
    rows = _rows(tmp_path)
    assert len(rows) == 2 * 2 * 2 * 2
    keys = {(r["function"], r["net_type"], r["seed"], r["epochs"]) for r in rows}
    assert len(keys) == 16
    # The same training serves both budgets: the time to reach 2 epochs is longer.
    for f in ("sin", "hardsin"):
        for s in ("0", "1"):
            one, two = (float(next(r["train_seconds"] for r in rows if (
                r["function"], r["net_type"], r["seed"], r["epochs"]) == (f, "GRUNet", s, e)))
                for e in ("1", "2"))
            assert two > one
    # The report's mean for sin / GRUNet / 2 epochs equals the CSV's.
    values = [float(r["val_mse"]) for r in rows
              if (r["function"], r["net_type"], r["epochs"]) == ("sin", "GRUNet", "2")]
    text = (tmp_path / "report.md").read_text()
    line = next(l for l in text.splitlines() if l.startswith("| sin | sequence | 2 |"))
    mean_text = line.split("|")[4].split("±")[0].strip()
    assert float(mean_text) == pytest.approx(np.mean(values), rel=5e-3)
    std_text = line.split("|")[4].split("±")[1].strip()
    assert float(std_text) == pytest.approx(np.std(values, ddof=1), rel=5e-2)
    assert re.search(r"\| 2 \| 4 \| \d \| ", text)  # 4 (function, seed) pairs at 2 epochs


def test_resume_after_an_interruption_writes_no_duplicate_rows(tmp_path, monkeypatch, capsys):
    pytest.importorskip("tensorflow")
    from degann.experiments import results

    args = ["--seeds", "0,1", *TINY[:8], "--out", str(tmp_path)]
    original = results.ResultsFolder.add
    calls = []

    def interrupted(self, result):
        original(self, result)
        calls.append(result.trial)
        if len(calls) == 2:
            raise KeyboardInterrupt

    monkeypatch.setattr(results.ResultsFolder, "add", interrupted)
    assert main(args) == 130
    assert len(_rows(tmp_path)) == 2
    monkeypatch.setattr(results.ResultsFolder, "add", original)
    capsys.readouterr()
    assert main(args) == 0
    assert "2 finished trial(s) skipped" in capsys.readouterr().out
    rows = _rows(tmp_path)
    assert len(rows) == 4
    assert len({(r["net_type"], r["seed"]) for r in rows}) == 4


def test_changed_settings_are_refused(tmp_path, capsys):
    pytest.importorskip("tensorflow")
    assert main([*TINY, "--out", str(tmp_path)]) == 0
    with pytest.raises(SystemExit) as exit_info:
        main([*TINY, "--lr", "0.01", "--out", str(tmp_path)])
    assert exit_info.value.code == 2
    assert "holds results of other settings (lr: 0.001 -> 0.01)" in capsys.readouterr().err
    assert len(_rows(tmp_path)) == 2


def test_report_only_rewrites_the_report(tiny_run, capsys):
    _, out = tiny_run
    (out / "report.md").unlink()
    assert main(["--report-only", "--out", str(out)]) == 0
    assert "**RQ1**" in (out / "report.md").read_text()


def test_diverging_training_exits_1(tmp_path, capsys, monkeypatch):
    from degann.experiments import runner

    def diverged_run(config, trials, on_result=None, **kwargs):
        for trial in trials:
            rows = [{c: float("nan") for c in runner.CSV_COLUMNS} | {
                "function": trial.function, "mode": "sequence", "net_type": trial.net_type,
                "seed": trial.seed, "epochs": 2, "time_steps": 3, "parameters": 1,
                "best_epoch": 0}]
            on_result(runner.TrialResult(trial, rows, {"loss": [1.0, float("nan")]},
                                         {"x": [0.0], "truth": [0.0], "observed": [0.0],
                                          "prediction": [0.0]}, diverged=True))

    monkeypatch.setattr(runner, "run_experiment", diverged_run)
    code = main([*TINY, "--out", str(tmp_path)])
    assert code == 1
    assert "training diverged" in capsys.readouterr().err
    assert "RQ1 cannot be answered" in (tmp_path / "report.md").read_text()


def test_plots_every_writes_snapshots_per_trial(tmp_path):
    pytest.importorskip("tensorflow")
    assert main([*TINY, "--plots-every", "1", "--out", str(tmp_path)]) == 0
    for net_type in ("GRUNet", "DenseNet"):
        names = {p.name for p in (tmp_path / "plots" / f"hardsin_{net_type}_seed1").iterdir()}
        assert {"prediction_final.png", "loss_epoch00002.png"} <= names


def test_trials_run_on_any_executor():
    pytest.importorskip("tensorflow")
    from degann.experiments.runner import ExperimentConfig, run_experiment

    config = ExperimentConfig(budgets=(1,), layers=1, units=2, n_points=40, time_steps=2)
    with ThreadPoolExecutor(max_workers=1) as executor:
        results = run_experiment(config, executor=executor)
    assert sorted(r.trial.net_type for r in results) == ["DenseNet", "GRUNet"]


def test_local_process_pool_runs_trials():
    pytest.importorskip("tensorflow")
    from degann.experiments.runner import ExperimentConfig, run_experiment

    config = ExperimentConfig(budgets=(1,), layers=1, units=2, n_points=40, time_steps=2)
    results = run_experiment(config, workers=2)
    assert sorted(r.trial.net_type for r in results) == ["DenseNet", "GRUNet"]
    assert all(math.isfinite(r.best_val_mse) for r in results)


def test_baselines_are_computed_on_the_validation_windows():
    from degann.datasets import Table, split_windows
    from degann.experiments.runner import baseline_scores

    # A straight line: the affine fit and the last value are checkable by hand.
    x = np.arange(20.0)
    data = split_windows(Table(x=x, y=2 * x, y_clean=2 * x), 3, "sequence", val_fraction=0.25)
    scores = baseline_scores(data)
    assert scores["linear least squares"] == pytest.approx(0.0, abs=1e-12)
    # The last observed value lags the target by one step of 2.
    assert scores["last observed value"] == pytest.approx(4.0)
    train_mean = np.mean(data.train.targets)
    assert scores["training mean"] == pytest.approx(
        np.mean((train_mean - data.val.clean_targets) ** 2))


def test_paired_comparison_by_hand():
    from degann.experiments.report import paired_comparison

    rows = []
    for f, g, d in (("a", 1.0, 2.0), ("b", 1.0, 4.0), ("c", 3.0, 1.0)):
        rows += [{"function": f, "seed": 0, "epochs": 5, "net_type": "GRUNet",
                  "val_mse": g, "train_seconds": 2.0},
                 {"function": f, "seed": 0, "epochs": 5, "net_type": "DenseNet",
                  "val_mse": d, "train_seconds": 1.0}]
    result = paired_comparison(rows, 5)
    assert (result["n"], result["gru_wins"]) == (3, 2)
    assert result["geomean_ratio"] == pytest.approx((0.5 * 0.25 * 3) ** (1 / 3))
    assert result["time_ratio"] == pytest.approx(2.0)
    from scipy.stats import wilcoxon

    assert result["p_value"] == pytest.approx(
        wilcoxon([np.log(0.5), np.log(0.25), np.log(3)]).pvalue)
