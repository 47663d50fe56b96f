"""``report.md`` and plots, written from an experiment folder alone.

Everything here reads ``results.csv``, ``baselines.csv``, ``config.json`` and
the per-trial files of :class:`~degann.experiments.results.ResultsFolder`;
nothing is trained, so a report can be regenerated at any time
(``degann-compare --report-only --out DIR``). The answers to RQ1 and RQ2 are
sentences built from the numbers, not canned conclusions. Plots use
Matplotlib's ``Figure`` API: no display needed, no global backend change.
"""

from __future__ import annotations

import math
import os
import platform
from pathlib import Path
from typing import Sequence

import numpy as np

from degann._io import atomic_path, atomic_write_text
from degann._version import __version__
from degann.datasets import functions
from degann.experiments.results import ResultsFolder
from degann.experiments.runner import ExperimentConfig

__all__ = ["paired_comparison", "summarize", "write_report"]

_MODE_TEXT = {
    "sequence": "sequence mode: each input holds the `time_steps` previous points "
                "(x, observed y) and the target is the next value",
    "function": "function mode: each input holds the window of `time_steps` arguments "
                "ending at the target's x",
}


def _mean_std(values: Sequence[float]) -> tuple[float, float]:
    values = [v for v in values if math.isfinite(v)]
    if not values:
        return float("nan"), float("nan")
    return float(np.mean(values)), float(np.std(values, ddof=1)) if len(values) > 1 else 0.0


def summarize(rows: Sequence[dict]) -> list[dict]:
    """Mean and spread over seeds per (function, mode, budget) and network.

    Returns one dict per (function, mode, budget) with, for each network
    type ``N``: ``N_n`` (seeds), ``N_val_mse`` and ``N_val_mse_std``,
    ``N_seconds``, ``N_rollout_mse``; and ``mse_ratio`` and ``time_ratio``
    (GRU over Dense, of the means) when both networks are there.
    """
    groups: dict[tuple, dict[str, list[dict]]] = {}
    for row in rows:
        key = (row["function"], row["mode"], row["epochs"])
        groups.setdefault(key, {}).setdefault(row["net_type"], []).append(row)
    summary = []
    for (function, mode, epochs), by_net in groups.items():
        entry = {"function": function, "mode": mode, "epochs": epochs}
        for net, net_rows in by_net.items():
            entry[f"{net}_n"] = len(net_rows)
            entry[f"{net}_val_mse"], entry[f"{net}_val_mse_std"] = _mean_std(
                [r["val_mse"] for r in net_rows])
            entry[f"{net}_seconds"] = _mean_std([r["train_seconds"] for r in net_rows])[0]
            entry[f"{net}_rollout_mse"] = _mean_std([r["rollout_mse"] for r in net_rows])[0]
            entry[f"{net}_epoch"] = _mean_std([r["seconds_per_epoch"] for r in net_rows])[0]
        if "GRUNet" in by_net and "DenseNet" in by_net:
            entry["mse_ratio"] = entry["GRUNet_val_mse"] / entry["DenseNet_val_mse"]
            entry["time_ratio"] = entry["GRUNet_seconds"] / entry["DenseNet_seconds"]
        summary.append(entry)
    order = {name: i for i, name in enumerate(functions.names())}
    summary.sort(key=lambda e: (order.get(e["function"], 99), e["function"], e["epochs"]))
    return summary


def paired_comparison(rows: Sequence[dict], epochs: int) -> dict:
    """GRU against Dense over the (function, seed) pairs trained for ``epochs``.

    Returns ``n`` (pairs with finite scores of both), ``gru_wins`` (pairs
    where GRUNet's validation MSE is lower), ``geomean_ratio`` (geometric
    mean of GRU/Dense MSE), ``time_ratio`` (geometric mean of GRU/Dense
    training time) and ``p_value`` of a two-sided Wilcoxon signed-rank test
    of the log ratios against 0 (``nan`` when it cannot be computed, for
    fewer than two pairs or all ratios equal to 1).
    """
    by_key: dict[tuple, dict[str, dict]] = {}
    for row in rows:
        if row["epochs"] == epochs:
            by_key.setdefault((row["function"], row["seed"]), {})[row["net_type"]] = row
    logs, times = [], []
    for pair in by_key.values():
        if "GRUNet" in pair and "DenseNet" in pair:
            g, d = pair["GRUNet"]["val_mse"], pair["DenseNet"]["val_mse"]
            if all(math.isfinite(v) and v > 0 for v in (g, d)):
                logs.append(math.log(g / d))
                times.append(math.log(pair["GRUNet"]["train_seconds"]
                                      / pair["DenseNet"]["train_seconds"]))
    result = {"epochs": epochs, "n": len(logs), "gru_wins": sum(v < 0 for v in logs),
              "geomean_ratio": float(np.exp(np.mean(logs))) if logs else float("nan"),
              "time_ratio": float(np.exp(np.mean(times))) if times else float("nan"),
              "p_value": float("nan")}
    if len(logs) >= 2 and any(v != 0 for v in logs):
        from scipy.stats import wilcoxon

        result["p_value"] = float(wilcoxon(logs).pvalue)
    return result


def _fmt(value: float, digits: int = 3) -> str:
    return "n/a" if not math.isfinite(value) else f"{value:.{digits}g}"


def _rq_sentences(pairs: dict, summary_at_max: list[dict]) -> tuple[str, str]:
    n, wins, ratio, p = pairs["n"], pairs["gru_wins"], pairs["geomean_ratio"], pairs["p_value"]
    epochs = pairs["epochs"]
    if n == 0:
        return ("RQ1 cannot be answered: no (function, seed) pair has finite scores of both "
                "networks.", "RQ2 cannot be answered for the same reason.")
    better = "lower" if ratio < 1 else "higher"
    if not math.isfinite(p):
        verdict = (f"with {n} pair(s) no significance test is possible, so this is an "
                   "observation, not an answer")
    elif p < 0.05:
        verdict = (f"the Wilcoxon signed-rank test rejects equal accuracy (p = {p:.3g} < 0.05): "
                   f"{'yes' if ratio < 1 else 'no'}, the GRU network is "
                   f"{'more' if ratio < 1 else 'less'} accurate on these functions")
    else:
        verdict = (f"the Wilcoxon signed-rank test does not reject equal accuracy "
                   f"(p = {p:.3g}): the data do not show that either network is more accurate")
    rq1 = (f"**RQ1** (after {epochs} epochs): the GRU network had the lower validation MSE "
           f"in {wins} of {n} (function, seed) pairs; the geometric mean of GRU/Dense MSE is "
           f"{_fmt(ratio)} (GRU {better}); {verdict}.")
    spread = [e["mse_ratio"] for e in summary_at_max if math.isfinite(e.get("mse_ratio", math.nan))]
    if spread:
        low = min(summary_at_max, key=lambda e: e.get("mse_ratio", math.inf))
        high = max(summary_at_max, key=lambda e: e.get("mse_ratio", -math.inf))
        if low is high:
            across = f"The ratio of mean MSEs is {_fmt(low['mse_ratio'])} ({low['function']}). "
        else:
            across = (f"Per function the ratio of mean MSEs ranges from "
                      f"{_fmt(low['mse_ratio'])} ({low['function']}) to "
                      f"{_fmt(high['mse_ratio'])} ({high['function']}). ")
    else:
        across = ""
    per_epoch = [e["GRUNet_epoch"] / e["DenseNet_epoch"] for e in summary_at_max
                 if math.isfinite(e.get("GRUNet_epoch", math.nan))
                 and math.isfinite(e.get("DenseNet_epoch", math.nan)) and e["DenseNet_epoch"] > 0]
    epoch_text = (f"; per epoch (median epoch times, set-up excluded) the ratio is "
                  f"{_fmt(float(np.exp(np.mean(np.log(per_epoch)))))}" if per_epoch else "")
    rq2 = (f"**RQ2** (after {epochs} epochs; GRU/Dense ratios above 1 mean the GRU network "
           f"has the larger error or time): {across}Training the GRU network took "
           f"{_fmt(pairs['time_ratio'])} times as long as the dense one (geometric mean over "
           f"the pairs, same epochs, same data){epoch_text}.")
    return rq1, rq2


def _baseline_sentence(summary_at_max: list[dict], baselines: dict) -> str:
    counts = {}
    total = 0
    for e in summary_at_max:
        base = baselines.get(e["function"])
        if base is None:
            continue
        total += 1
        for net in ("GRUNet", "DenseNet"):
            if e.get(f"{net}_val_mse", math.inf) < base[1]:
                counts[net] = counts.get(net, 0) + 1
    if total == 0:
        return ""
    return (f"Against the best simple baseline of each function (training mean, an affine "
            f"least-squares fit of the window, or the last observed value): the GRU network's "
            f"mean validation MSE is lower on {counts.get('GRUNet', 0)} of {total} functions, "
            f"the dense network's on {counts.get('DenseNet', 0)} of {total}.")


def _baseline_table(baselines: Sequence[dict]) -> dict[str, tuple[str, float]]:
    best: dict[str, dict[str, list]] = {}
    for row in baselines:
        best.setdefault(row["function"], {}).setdefault(row["baseline"], []).append(row["val_mse"])
    result = {}
    for function, by_name in best.items():
        means = {name: float(np.mean(v)) for name, v in by_name.items()}
        name = min(means, key=means.get)
        result[function] = (name, means[name])
    return result


def write_report(out: str | os.PathLike, command: str | None = None) -> dict[str, Path]:
    """Write ``report.md``, ``<function>.png`` per function and ``summary.png``.

    Parameters
    ----------
    out : str or path-like
        An experiment folder (see :class:`~degann.experiments.results.ResultsFolder`).
    command : str, optional
        The command that produced the results, quoted in the report
        (default: the last line of ``out/commands.txt`` if present).

    Returns
    -------
    dict
        Paths of the files written.
    """
    folder = ResultsFolder(out)
    config = folder.read_config()
    rows = folder.rows()
    if config is None or not rows:
        raise ValueError(f"{folder.root} holds no results (config.json and results.csv)")
    if command is None:
        commands = folder.root / "commands.txt"
        lines = commands.read_text(encoding="utf-8").splitlines() if commands.exists() else []
        command = lines[-1] if lines else "(unknown)"
    summary = summarize(rows)
    baselines = _baseline_table(folder.baselines())
    budgets = sorted({r["epochs"] for r in rows})
    pairs = {b: paired_comparison(rows, b) for b in budgets}
    at_max = [e for e in summary if e["epochs"] == budgets[-1]]
    rq1, rq2 = _rq_sentences(pairs[budgets[-1]], at_max)
    against_baselines = _baseline_sentence(at_max, baselines)
    paths = {"report": folder.root / "report.md", "summary": folder.root / "summary.png"}

    names = sorted({r["function"] for r in rows},
                   key=lambda f: functions.names().index(f) if f in functions.names() else 99)
    seeds = sorted({r["seed"] for r in rows})
    lines = [
        f"# GRU vs Dense: {', '.join(f'`{n}`' for n in names)}",
        "",
        rq1,
        "",
        rq2,
        "",
        *([against_baselines, ""] if against_baselines else []),
        "## Setup",
        "",
        "- functions: " + "; ".join(
            f"`{n}` {functions.get(n).formula}" for n in names),
        f"- data: {config.n_points} points per function (evenly spaced on its default "
        "interval; random points for functions of several variables), Gaussian noise "
        f"sigma = {config.noise:g} on observed values; validation ({config.val_fraction:.0%} of "
        "the points) is scored against the noise-free values",
        f"- windows: {_MODE_TEXT[config.mode]}; time_steps = {config.time_steps}; split "
        f"{config.split or ('tail' if config.mode == 'sequence' else 'random')} before "
        "windowing (functions of several variables: one point per window, random split)",
        f"- networks: {config.layers} hidden layer{'s' if config.layers != 1 else ''} x "
        f"{config.units} units (GRU layers, or "
        "dense tanh layers reading the same windows flattened), linear output",
        f"- training: Adam (learning rate {config.lr:g}), MSE, batch {config.batch_size}, "
        f"seeds {', '.join(map(str, seeds))}",
        f"- budgets: {', '.join(map(str, budgets))} epochs. One run serves all budgets: each "
        f"(function, network, seed) trains once, up to {budgets[-1]} epochs, and at every "
        "budget on the way the best-so-far weights (lowest validation loss on the observed "
        "targets, as SaveBestModel keeps them) are scored; times count training up to that "
        "budget. Selecting on the validation windows makes their scores slightly optimistic.",
        f"- software: degann {__version__}, TensorFlow {_tf_version()}, Python "
        f"{platform.python_version()}; machine: {platform.machine()}, {os.cpu_count()} CPU "
        "core(s)",
        "",
        "## Validation MSE (mean ± std over seeds)",
        "",
        "| function | mode | epochs | GRUNet | DenseNet | GRU/Dense MSE | GRU/Dense time "
        "| best baseline |",
        "|---|---|---:|---:|---:|---:|---:|---|",
    ]
    for e in summary:
        base = baselines.get(e["function"])
        lines.append(
            f"| {e['function']} | {e['mode']} | {e['epochs']} "
            f"| {_cell(e, 'GRUNet')} | {_cell(e, 'DenseNet')} "
            f"| {_fmt(e.get('mse_ratio', math.nan))} | {_fmt(e.get('time_ratio', math.nan))} "
            f"| {base[0] + ' ' + _fmt(base[1]) if base else 'n/a'} |"
        )
    if any(math.isfinite(e.get("GRUNet_rollout_mse", math.nan)) for e in at_max):
        lines += [
            "",
            f"## Rollout over the validation part ({budgets[-1]} epochs)",
            "",
            "Each network predicts the validation part step by step from the last training "
            "window, feeding its predictions back in; MSE against the clean truth (mean over "
            "seeds):",
            "",
            "| function | GRUNet | DenseNet |",
            "|---|---:|---:|",
        ]
        for e in at_max:
            lines.append(f"| {e['function']} | {_fmt(e.get('GRUNet_rollout_mse', math.nan))} "
                         f"| {_fmt(e.get('DenseNet_rollout_mse', math.nan))} |")
    lines += [
        "",
        "## Paired comparison over functions and seeds",
        "",
        "| epochs | pairs | GRU better | geometric mean GRU/Dense MSE | Wilcoxon p "
        "| geometric mean GRU/Dense time |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for b in budgets:
        c = pairs[b]
        lines.append(f"| {b} | {c['n']} | {c['gru_wins']} | {_fmt(c['geomean_ratio'])} "
                     f"| {_fmt(c['p_value'])} | {c['time_ratio']:.3g} |")
    lines += ["", "## Plots", "", "![GRU/Dense MSE ratio per function and budget](summary.png)",
              ""]
    for name in names:
        plot = folder.root / f"{name}.png"
        if _plot_function(plot, folder, config, name, seeds[0], rows):
            paths[name] = plot
            lines += [f"![{name}: truth vs both networks, loss curves]({name}.png)", ""]
    _plot_summary(paths["summary"], summary, budgets)
    lines += ["## Command", "", "```", command, "```", ""]
    atomic_write_text(paths["report"], "\n".join(lines))
    return paths


def _cell(entry: dict, net: str) -> str:
    if f"{net}_val_mse" not in entry:
        return "n/a"
    mean, std = entry[f"{net}_val_mse"], entry[f"{net}_val_mse_std"]
    return f"{_fmt(mean)} ± {_fmt(std, 2)}" if entry[f"{net}_n"] > 1 else _fmt(mean)


def _tf_version() -> str:
    try:
        import tensorflow as tf
    except ImportError:  # pragma: no cover - tensorflow is a dependency
        return "unknown"
    return tf.__version__


def _plot_function(path: Path, folder: ResultsFolder, config: ExperimentConfig, function: str,
                   seed: int, rows: Sequence[dict]) -> bool:
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    data = {net: folder.trial_data(f"{function}_{net}_seed{seed}") for net in config.nets}
    data = {net: d for net, d in data.items() if d}
    if not data:
        return False
    has_rollout = any(d["curves"].get("rollout") for d in data.values())
    figure = Figure(figsize=(9, 10 if has_rollout else 7.5), layout="constrained")
    axes = figure.subplots(3 if has_rollout else 2, 1)
    first = next(iter(data.values()))["curves"]
    x = np.asarray(first["x"], dtype=float)
    order = np.argsort(x)
    top = axes[0]
    top.plot(x[order], _arr(first["observed"])[order], ".", color="0.7", markersize=3,
             label="observed (noisy)")
    top.plot(x[order], _arr(first["truth"])[order], "-", color="black", linewidth=2,
             label="truth")
    for net, d in data.items():
        top.plot(x[order], _arr(d["curves"]["prediction"])[order], "-", linewidth=1.2,
                 label=f"{net}")
    top.set_title(f"{function}: validation part, one step ahead (seed {seed}, "
                  f"{config.max_epochs} epochs, best weights)")
    top.set_xlabel("x" if functions.get(function).input_dim == 1 else "validation point")
    top.legend(loc="best", fontsize="small")
    if has_rollout:
        middle = axes[1]
        for net, d in data.items():
            curves = d["curves"]
            if curves.get("rollout"):
                if net == next(iter(data)):
                    middle.plot(curves["rollout_x"], _arr(curves["rollout_truth"]), "-",
                                color="black", linewidth=2, label="truth")
                middle.plot(curves["rollout_x"], _arr(curves["rollout"]), "-", label=net)
        middle.set_title("rollout: each prediction fed back as input")
        middle.set_xlabel("x")
        middle.legend(loc="best", fontsize="small")
    bottom = axes[-1]
    for net, d in data.items():
        history = d["history"]
        epochs = np.arange(1, len(history.get("loss", [])) + 1)
        line, = bottom.plot(epochs, _arr(history.get("loss", [])), label=f"{net} training")
        if "val_loss" in history:
            bottom.plot(epochs, _arr(history["val_loss"]), "--", color=line.get_color(),
                        label=f"{net} validation (noisy targets)")
    bottom.set_yscale("log")
    bottom.xaxis.set_major_locator(MaxNLocator(integer=True))
    bottom.set_xlabel("epoch")
    bottom.set_ylabel("MSE")
    bottom.set_title("loss curves")
    bottom.legend(loc="best", fontsize="small")
    with atomic_path(path) as tmp:
        figure.savefig(tmp, format="png", dpi=100)
    return True


def _arr(values) -> np.ndarray:
    return np.array([np.nan if v is None else v for v in values], dtype=float)


def _plot_summary(path: Path, summary: Sequence[dict], budgets: Sequence[int]) -> None:
    from matplotlib.figure import Figure

    names = []
    for e in summary:
        if e["function"] not in names:
            names.append(e["function"])
    grid = np.full((len(names), len(budgets)), np.nan)
    for e in summary:
        if math.isfinite(e.get("mse_ratio", math.nan)) and e["mse_ratio"] > 0:
            grid[names.index(e["function"]), budgets.index(e["epochs"])] = math.log10(
                e["mse_ratio"])
    figure = Figure(figsize=(2.2 + 1.3 * len(budgets), 1.2 + 0.5 * len(names)),
                    layout="constrained")
    axes = figure.subplots()
    limit = max(1.0, float(np.nanmax(np.abs(grid)))) if np.isfinite(grid).any() else 1.0
    image = axes.imshow(grid, cmap="RdBu_r", vmin=-limit, vmax=limit, aspect="auto")
    axes.set_xticks(range(len(budgets)), [str(b) for b in budgets])
    axes.set_yticks(range(len(names)), names)
    axes.set_xlabel("epochs")
    for i in range(len(names)):
        for j in range(len(budgets)):
            if math.isfinite(grid[i, j]):
                axes.text(j, i, f"{10 ** grid[i, j]:.2g}", ha="center", va="center",
                          fontsize="small")
    axes.set_title("GRU/Dense validation MSE (blue: GRU better)")
    figure.colorbar(image, ax=axes, label="log10(GRU/Dense MSE)")
    with atomic_path(path) as tmp:
        figure.savefig(tmp, format="png", dpi=100)
