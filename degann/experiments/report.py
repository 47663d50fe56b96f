"""Write the comparison's results: ``results.csv``, ``report.md`` and a plot.

Every file is written atomically. Plots use Matplotlib's object-oriented
``Figure`` API, which needs no display and never changes the global backend.
"""

from __future__ import annotations

import csv
import io
import os
import platform
from pathlib import Path
from typing import Sequence

from degann._io import atomic_path, atomic_write_text
from degann._version import __version__
from degann.datasets import SplitWindows, functions
from degann.experiments.runner import (
    ComparisonConfig,
    NetworkResult,
    baseline_scores,
    results_rows,
)

__all__ = ["CSV_COLUMNS", "plot_comparison", "write_report", "write_results_csv"]

#: Columns of ``results.csv``, in order.
CSV_COLUMNS = (
    "function",
    "net_type",
    "mode",
    "epochs",
    "time_steps",
    "noise",
    "seed",
    "train_mse",
    "val_mse",
    "train_seconds",
    "parameters",
    "best_epoch",
)

_MODE_TEXT = {
    "sequence": (
        "sequence mode: each input holds the `time_steps` previous points "
        "(x, observed y) and the target is the next value"
    ),
    "function": (
        "function mode: each input holds the window of `time_steps` arguments "
        "ending at the target's x"
    ),
}


def write_results_csv(path: str | os.PathLike, rows: Sequence[dict]) -> None:
    """Write result rows (dicts with :data:`CSV_COLUMNS`) to a CSV file."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({key: row[key] for key in CSV_COLUMNS})
    atomic_write_text(path, buffer.getvalue())


def _ratio_sentence(what: str, a_name: str, a: float, b_name: str, b: float,
                    lower_is: str, unit: str = "") -> str:
    if a == b:
        return f"Both networks have the same {what} ({a:.4g}{unit})."
    low_name, low, high_name, high = (a_name, a, b_name, b) if a < b else (b_name, b, a_name, a)
    ratio = high / low if low > 0 else float("inf")
    return (
        f"**{low_name}** has the {lower_is} {what}: {low:.4g}{unit} against "
        f"{high:.4g}{unit} for {high_name} ({ratio:.2f}x)."
    )


def _baseline_sentence(results: Sequence[NetworkResult], baselines: dict) -> str:
    best_name = min(baselines, key=baselines.get)
    best = baselines[best_name]
    beating = [r.net_type for r in results if r.val_mse < best]
    if len(beating) == len(results):
        return (
            f"Both networks beat the best simple baseline ({best_name}, "
            f"validation MSE {best:.4g})."
        )
    if beating:
        return (
            f"Only {beating[0]} beats the best simple baseline ({best_name}, "
            f"validation MSE {best:.4g}); the other network does not."
        )
    return (
        f"**Neither network beats the best simple baseline** ({best_name}, "
        f"validation MSE {best:.4g}): on this data and budget they have not learned "
        "more than that baseline knows, whichever of them wins."
    )


def write_report(
    path: str | os.PathLike,
    config: ComparisonConfig,
    data: SplitWindows,
    results: Sequence[NetworkResult],
    command: str,
    plot_name: str | None = None,
) -> None:
    """Write ``report.md``: setup, the results table, the winner and the command."""
    spec = functions.get(config.function)
    low, high = config.interval or spec.interval
    baselines = baseline_scores(data)
    epochs = f"{config.epochs} epoch{'s' if config.epochs != 1 else ''}"
    if data.split == "tail":
        split_text = (
            f"tail: the last {config.val_fraction:.0%} of the series, x in "
            f"[{data.val.x.min():.4g}, {data.val.x.max():.4g}], is validation "
            "(the networks extrapolate along x)"
        )
    else:
        split_text = (
            f"random: {config.val_fraction:.0%} of the target points, drawn across "
            "the whole interval, are validation (the networks interpolate)"
        )
    unused = "" if config.mode == "sequence" else (
        f"; the first {config.time_steps - 1} points have no full window"
    )
    lines = [
        f"# GRU vs Dense on `{config.function}`",
        "",
        "## Setup",
        "",
        f"- function: `{config.function}`, {spec.formula}, on [{low:g}, {high:g}], "
        f"{config.n_points} evenly spaced points",
        f"- windows: {_MODE_TEXT[config.mode]}; time_steps = {config.time_steps}",
        f"- noise: Gaussian, sigma = {config.noise:g}, on observed y "
        "(inputs and training targets); validation is scored against the noise-free y",
        f"- split (before windowing): {split_text}; {len(data.train)} training and "
        f"{len(data.val)} validation windows, {data.dropped} dropped at the "
        f"boundary{unused}",
        f"- networks: {config.layers} hidden layers x {config.units} units each "
        "(GRU layers or dense tanh layers), linear output; the dense network reads "
        "the same windows flattened (same layers and widths, not the same number of "
        "parameters: see the table)",
        f"- training: Adam (learning rate {config.lr:g}), MSE loss, batch "
        f"{config.batch_size}, {epochs}, seed {config.seed} (initial weights, noise, "
        "split and mini-batch order); each network is scored with the weights of its "
        "epoch of lowest validation loss against the observed (noisy) validation "
        "targets (SaveBestModel), which makes the validation scores slightly optimistic",
        f"- software: degann {__version__}, TensorFlow {_tf_version()}, "
        f"Python {platform.python_version()}; machine: {platform.machine()}, "
        f"{os.cpu_count()} CPU core(s)",
        "",
        "## Results",
        "",
        "| network | parameters | train MSE (noisy targets) | validation MSE (clean) "
        "| training time, s | median s / epoch | best epoch |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r.net_type} | {r.parameters} | {r.train_mse:.4g} | {r.val_mse:.4g} "
            f"| {r.train_seconds:.1f} | {r.seconds_per_epoch:.3f} | {r.best_epoch} |"
        )
    lines += [
        "",
        "Simple baselines on the same validation windows, no training "
        "(validation MSE against the clean truth):",
        "",
        "| baseline | validation MSE |",
        "|---|---:|",
        *[f"| {name} | {value:.4g} |" for name, value in baselines.items()],
        "",
    ]
    diverged = [r.net_type for r in results if r.diverged]
    if diverged:
        lines += [
            f"**Training diverged** for {', '.join(diverged)} (non-finite loss): "
            "no winner is named. Try a smaller learning rate (`--lr`) or less noise.",
            "",
        ]
    elif len(results) == 2:
        a, b = results
        lines += [
            _ratio_sentence("validation MSE", a.net_type, a.val_mse, b.net_type,
                            b.val_mse, "lower"),
            "",
            _ratio_sentence("training time", a.net_type, a.train_seconds,
                            b.net_type, b.train_seconds, "shorter", unit=" s"),
            "",
            _baseline_sentence(results, baselines),
            "",
        ]
    lines += [
        "This is one run with one seed: differences between seeds can be of the "
        "same order, so treat a single ratio as an observation, not a conclusion.",
        "",
    ]
    if plot_name:
        lines += [f"![truth vs predictions and loss curves]({plot_name})", ""]
    lines += ["## Command", "", "```", command, "```", ""]
    atomic_write_text(path, "\n".join(lines))


def _tf_version() -> str:
    try:
        import tensorflow as tf
    except ImportError:  # pragma: no cover - tensorflow is a dependency
        return "unknown"
    return tf.__version__


def plot_comparison(
    path: str | os.PathLike,
    config: ComparisonConfig,
    data: SplitWindows,
    results: Sequence[NetworkResult],
) -> None:
    """Save a PNG: truth vs predictions on the validation part, and loss curves."""
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    figure = Figure(figsize=(9, 8), layout="constrained")
    top, bottom = figure.subplots(2, 1)
    val = data.val
    top.plot(val.x, val.targets[:, 0], ".", color="0.7", markersize=3,
             label="observed (noisy)")
    top.plot(val.x, val.clean_targets[:, 0], "-", color="black", linewidth=2,
             label="truth")
    for r in results:
        top.plot(val.x, r.val_prediction, "-", linewidth=1.2,
                 label=f"{r.net_type} (val MSE {r.val_mse:.2e})")
    top.set_title(f"{config.function}: validation part ({config.mode} mode)")
    top.set_xlabel("x")
    top.set_ylabel("y")
    top.legend(loc="best", fontsize="small")

    for r in results:
        epochs = range(1, len(r.history.get("loss", [])) + 1)
        line, = bottom.plot(epochs, r.history.get("loss", []),
                            label=f"{r.net_type} training loss")
        if "val_loss" in r.history:
            bottom.plot(epochs, r.history["val_loss"], "--", color=line.get_color(),
                        label=f"{r.net_type} validation loss (noisy targets)")
    bottom.set_yscale("log")
    bottom.xaxis.set_major_locator(MaxNLocator(integer=True))
    bottom.set_xlabel("epoch")
    bottom.set_ylabel("MSE")
    bottom.set_title("loss curves")
    bottom.legend(loc="best", fontsize="small")
    with atomic_path(path) as tmp:
        figure.savefig(tmp, format="png", dpi=110)


def write_all(
    out: str | os.PathLike,
    config: ComparisonConfig,
    data: SplitWindows,
    results: Sequence[NetworkResult],
    command: str,
) -> dict[str, Path]:
    """Write ``results.csv``, ``<function>.png`` and ``report.md`` into ``out``."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    paths = {
        "csv": out / "results.csv",
        "plot": out / f"{config.function}.png",
        "report": out / "report.md",
    }
    write_results_csv(paths["csv"], results_rows(config, results))
    plot_comparison(paths["plot"], config, data, results)
    write_report(paths["report"], config, data, results, command,
                 plot_name=paths["plot"].name)
    return paths
