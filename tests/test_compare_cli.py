"""The degann-compare command: tiny end-to-end run and bad option values."""

import csv
import math
import re
import subprocess
import sys

import pytest

from degann.experiments.compare import main

TINY = ["--epochs", "2", "--points", "80", "--layers", "1", "--units", "4",
        "--time-steps", "3", "--seed", "1"]


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory):
    pytest.importorskip("tensorflow")
    out = tmp_path_factory.mktemp("compare") / "out"
    code = main([*TINY, "--out", str(out)])
    return code, out


def test_tiny_run_writes_the_three_files(tiny_run):
    code, out = tiny_run
    assert code == 0
    assert sorted(p.name for p in out.iterdir()) == ["hardsin.png", "report.md", "results.csv"]
    assert (out / "hardsin.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_results_csv_has_one_finite_row_per_network(tiny_run):
    _, out = tiny_run
    with open(out / "results.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["net_type"] for r in rows] == ["GRUNet", "DenseNet"]
    for row in rows:
        assert row["function"] == "hardsin" and row["mode"] == "sequence"
        assert (row["epochs"], row["time_steps"], row["seed"]) == ("2", "3", "1")
        for column in ("train_mse", "val_mse", "train_seconds"):
            value = float(row[column])
            assert math.isfinite(value) and value >= 0
        assert int(row["parameters"]) > 0


def test_report_names_the_winner_and_the_command(tiny_run):
    _, out = tiny_run
    text = (out / "report.md").read_text()
    with open(out / "results.csv", newline="") as handle:
        rows = {r["net_type"]: float(r["val_mse"]) for r in csv.DictReader(handle)}
    winner = min(rows, key=rows.get)
    assert f"**{winner}** has the lower validation MSE" in text
    assert "degann-compare --epochs 2 --points 80" in text
    assert "![truth vs predictions and loss curves](hardsin.png)" in text


@pytest.mark.parametrize(
    "args, message",
    [
        (["--epochs", "-5"], "--epochs: must be >= 1, got -5"),
        (["--epochs", "ten"], "--epochs: expected an integer"),
        (["--function", "hardsine"], "did you mean 'hardsin'"),
        (["--function", "multidim"], "one-variable"),
        (["--time-steps", "5000"], "time_steps=5000 is too long"),
        (["--noise", "-0.1"], "--noise: must be >= 0"),
        (["--mode", "series"], "invalid choice: 'series'"),
        (["--seed", "4294967296"], "--seed: must be <= 4294967295"),
        (["--units", "50000"], "--units: must be <= 4096"),
        (["--points", "10000000000"], "--points: must be <= 1000000"),
        (["--noise", "1e39"], "beyond the float32 range"),
        (["--lr", "1e30"], "--lr: must be <= 1e+06"),
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
    assert "Traceback" not in process.stderr


def test_out_under_a_file_is_refused_before_training(tmp_path, capsys):
    (tmp_path / "file").write_text("x")
    with pytest.raises(SystemExit) as exit_info:
        main(["--out", str(tmp_path / "file" / "sub")])
    assert exit_info.value.code == 2
    assert "cannot write results" in capsys.readouterr().err


def test_diverging_training_exits_1_and_names_no_winner(tmp_path, capsys, monkeypatch):
    import numpy as np

    from degann.experiments import runner

    def diverged_run(config, data, on_result=None, verbose=0, **plots):
        n = len(data.val)
        return [
            runner.NetworkResult(net_type, float("nan"), float("nan"), 1.0, [1.0], 10,
                                 {"loss": [1.0, float("nan")]}, np.zeros(n))
            for net_type in config.net_types
        ]

    monkeypatch.setattr(runner, "run_comparison", diverged_run)
    code = main([*TINY, "--out", str(tmp_path)])
    text = (tmp_path / "report.md").read_text()
    assert code == 1
    assert "Training diverged" in text and "has the lower" not in text
    assert "training diverged" in capsys.readouterr().err


def test_baselines_are_computed_on_the_validation_windows():
    import numpy as np

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


def test_report_compares_with_the_baselines(tiny_run):
    _, out = tiny_run
    text = (out / "report.md").read_text()
    assert "| last observed value |" in text
    assert re.search(r"(beat|beats) the best simple baseline", text)


def test_plots_every_writes_snapshots_per_network(tmp_path):
    pytest.importorskip("tensorflow")
    code = main([*TINY, "--plots-every", "1", "--out", str(tmp_path)])
    assert code == 0
    for net_type in ("GRUNet", "DenseNet"):
        names = sorted(p.name for p in (tmp_path / "plots" / net_type).iterdir())
        assert "prediction_final.png" in names and "loss_epoch00002.png" in names
    with open(tmp_path / "results.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert all(1 <= int(r["best_epoch"]) <= 2 for r in rows)
