"""``degann-compare``: GRU vs Dense networks on DEGANN's functions and hardsin.

Run ``degann-compare --help`` (or ``python -m degann.experiments.compare
--help``) for the options. With no arguments (``--preset quick``) it
approximates ``hardsin`` on [0.1, 5] (1000 points, sequence mode,
``time_steps`` 10, noise 0.01, 5 x 30 networks, Adam, 100 epochs, seed 0)
and writes ``results/results.csv``, ``results/report.md`` and
``results/hardsin.png``. ``--preset full`` runs all ten functions for 100,
200, 500 and 1000 epochs with seeds 0, 1 and 2.

Rerunning the same command after an interruption resumes: finished trials
are skipped. A folder holding results of other training settings is
refused.

Exit codes: 0 on success, 1 if a training diverged or results could not be
written, 2 for a bad option value (one line on stderr, no traceback), 130
when interrupted.
"""

from __future__ import annotations

import argparse
import logging
import os
import shlex
import sys
import time
from concurrent.futures.process import BrokenProcessPool
from typing import NoReturn, Sequence

from degann._io import atomic_write_text
from degann._validation import unknown_name_message
from degann.datasets import functions
from degann.datasets.sequences import MODES, SPLITS
from degann.experiments.runner import (
    ALL_FUNCTIONS,
    LIMITS,
    NET_TYPES,
    PRESETS,
    ExperimentConfig,
    TrialResult,
    baseline_scores,
    prepare_data,
)

__all__ = ["build_parser", "main"]

PROG = "degann-compare"


class _OneLineParser(argparse.ArgumentParser):
    """An argument parser whose errors are one line and exit code 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message}\n")


def _int_at_least(minimum: int, maximum: int | None = None):
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected an integer, got {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be >= {minimum}, got {value}")
        if maximum is not None and value > maximum:
            raise argparse.ArgumentTypeError(f"must be <= {maximum}, got {value}")
        return value

    return parse


def _int_list(minimum: int, maximum: int):
    single = _int_at_least(minimum, maximum)

    def parse(text: str) -> tuple[int, ...]:
        items = [t.strip() for t in text.split(",") if t.strip()]
        if not items:
            raise argparse.ArgumentTypeError(f"expected a comma-separated list, got {text!r}")
        values = tuple(single(t) for t in items)
        if len(set(values)) != len(values):
            raise argparse.ArgumentTypeError(f"lists a value twice: {text!r}")
        return values

    return parse


def _float_in(minimum: float, maximum: float | None = None, *, open_low: bool = False,
              open_high: bool = False):
    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
        if value != value or value in (float("inf"), float("-inf")):
            raise argparse.ArgumentTypeError(f"must be finite, got {text}")
        if value < minimum or (open_low and value == minimum):
            sign = ">" if open_low else ">="
            raise argparse.ArgumentTypeError(f"must be {sign} {minimum:g}, got {value:g}")
        if maximum is not None and (value > maximum or (open_high and value == maximum)):
            sign = "<" if open_high else "<="
            raise argparse.ArgumentTypeError(f"must be {sign} {maximum:g}, got {value:g}")
        return value

    return parse


def _function_names(text: str) -> tuple[str, ...]:
    if text.strip() == "all":
        return ALL_FUNCTIONS
    names = tuple(t.strip() for t in text.split(",") if t.strip())
    if not names:
        raise argparse.ArgumentTypeError(f"expected function names, got {text!r}")
    for name in names:
        if name not in functions.names():
            raise argparse.ArgumentTypeError(
                unknown_name_message("function", name, functions.names()))
    if len(set(names)) != len(names):
        raise argparse.ArgumentTypeError(f"lists a function twice: {text!r}")
    return names


def _net_names(text: str) -> tuple[str, ...]:
    names = tuple(t.strip() for t in text.split(",") if t.strip())
    for name in names:
        if name not in NET_TYPES:
            raise argparse.ArgumentTypeError(unknown_name_message("net_type", name, NET_TYPES))
    if not names or len(set(names)) != len(names):
        raise argparse.ArgumentTypeError(f"expected distinct network types, got {text!r}")
    return names


def build_parser() -> argparse.ArgumentParser:
    """The command-line parser of ``degann-compare``."""
    defaults = ExperimentConfig()
    parser = _OneLineParser(
        prog=PROG,
        description=(
            "Train GRU and dense networks with the same layers and widths on the same "
            "windows of DEGANN's functions and hardsin; compare their accuracy (against "
            "simple baselines too) and training time, and answer RQ1 and RQ2 in a report."
        ),
    )
    parser.add_argument("--preset", choices=sorted(PRESETS), default="quick",
                        help="quick (default): hardsin, 100 epochs, seed 0; full: all "
                        "functions, 100,200,500,1000 epochs, seeds 0,1,2 (the options "
                        "--functions, --epochs and --seeds override the preset)")
    parser.add_argument("--functions", "--function", dest="functions", type=_function_names,
                        help="comma-separated names, or 'all' (" + ", ".join(ALL_FUNCTIONS)
                        + ")")
    parser.add_argument("--nets", type=_net_names, default=",".join(NET_TYPES),
                        help="network types, comma-separated (default: %(default)s)")
    parser.add_argument("--mode", choices=MODES, default=defaults.mode,
                        help="sequence (default): previous (x, y) points predict the next y; "
                        "function: a window of x values predicts y at its end")
    parser.add_argument("--epochs", type=_int_list(1, LIMITS["epochs"]),
                        help="epoch budgets, comma-separated (one training serves all)")
    parser.add_argument("--seeds", "--seed", dest="seeds", type=_int_list(0, LIMITS["seed"]),
                        help="seeds, comma-separated")
    parser.add_argument("--layers", type=_int_at_least(1, LIMITS["layers"]),
                        default=defaults.layers,
                        help="hidden layers of each network (default: %(default)s)")
    parser.add_argument("--units", type=_int_at_least(1, LIMITS["units"]),
                        default=defaults.units,
                        help="units per hidden layer (default: %(default)s)")
    parser.add_argument("--time-steps", type=_int_at_least(1), default=defaults.time_steps,
                        help="window length (default: %(default)s)")
    parser.add_argument("--noise", type=_float_in(0.0), default=defaults.noise,
                        help="standard deviation of Gaussian noise on observed y "
                        "(default: %(default)s)")
    parser.add_argument("--split", choices=SPLITS, default=None,
                        help="validation split (default: tail in sequence mode, random in "
                        "function mode)")
    parser.add_argument("--points", type=_int_at_least(4, LIMITS["n_points"]),
                        default=defaults.n_points,
                        help="samples of each function (default: %(default)s)")
    parser.add_argument("--val-fraction", type=_float_in(0.0, 1.0, open_low=True,
                                                         open_high=True),
                        default=defaults.val_fraction,
                        help="share of points for validation (default: %(default)s)")
    parser.add_argument("--lr", type=_float_in(0.0, 1e6, open_low=True), default=defaults.lr,
                        help="Adam learning rate (default: %(default)s)")
    parser.add_argument("--batch-size", type=_int_at_least(1), default=defaults.batch_size,
                        help="mini-batch size (default: %(default)s)")
    parser.add_argument("--workers", type=_int_at_least(1, 64), default=1,
                        help="trials run in parallel processes, threads shared fairly "
                        "(default: %(default)s)")
    parser.add_argument("--out", default="results",
                        help="folder for results.csv, report.md and the plots "
                        "(default: %(default)s)")
    parser.add_argument("--plots-every", type=_int_at_least(0), default=0,
                        help="write loss and prediction snapshots every N epochs into "
                        "OUT/plots/<trial>/ (0: none)")
    parser.add_argument("--report-only", action="store_true",
                        help="rewrite report.md and the plots from the results in --out")
    parser.add_argument("-v", "--verbose", action="store_true",
                        help="show Keras' progress for every epoch (one worker only)")
    return parser


def _config(args: argparse.Namespace) -> ExperimentConfig:
    preset = PRESETS[args.preset]
    return ExperimentConfig(
        functions=args.functions or preset["functions"],
        nets=args.nets,
        mode=args.mode,
        budgets=args.epochs or preset["budgets"],
        seeds=args.seeds if args.seeds is not None else preset["seeds"],
        layers=args.layers, units=args.units, time_steps=args.time_steps,
        noise=args.noise, split=args.split, n_points=args.points,
        val_fraction=args.val_fraction, lr=args.lr, batch_size=args.batch_size,
    )


def _clock(seconds: float) -> str:
    seconds = int(round(seconds))
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


class _Progress:
    """A text progress bar over trials with elapsed time and ETA, on stderr."""

    def __init__(self, total: int) -> None:
        self.total, self.done, self.start = total, 0, time.perf_counter()

    def step(self) -> None:
        self.done += 1
        elapsed = time.perf_counter() - self.start
        eta = elapsed / self.done * (self.total - self.done)
        filled = int(20 * self.done / max(self.total, 1))
        print(f"[{'#' * filled}{'.' * (20 - filled)}] {self.done}/{self.total} trials, "
              f"elapsed {_clock(elapsed)}, ETA {_clock(eta)}", file=sys.stderr, flush=True)


def _prepare_output_folder(out: str) -> None:
    if not out:
        raise OSError("the folder name is empty")
    os.makedirs(out, exist_ok=True)
    for name in ("results.csv", "report.md", "config.json"):
        if os.path.isdir(os.path.join(out, name)):
            raise OSError(f"{os.path.join(out, name)} is a folder")
    if not os.access(out, os.W_OK | os.X_OK):
        raise OSError(f"{out} is not writable")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the experiment from command-line arguments; return the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    command = shlex.join([PROG, *(sys.argv[1:] if argv is None else argv)])
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    logging.getLogger("tensorflow").setLevel(logging.ERROR)
    from degann.experiments.report import write_report
    from degann.experiments.results import ConfigurationMismatch, ResultsFolder

    if args.report_only:
        try:
            paths = write_report(args.out)
        except (OSError, ValueError) as error:
            parser.error(f"--report-only: {error}")
        print(f"wrote {paths['report']}")
        return 0

    # Settings are checked and the data prepared before TensorFlow starts.
    try:
        config = _config(args)
        baselines = {}
        for function in config.functions:
            for seed in config.seeds:
                _, data = prepare_data(config, function, seed)
                baselines[function, seed] = (data.mode, baseline_scores(data))
    except (TypeError, ValueError) as error:
        parser.error(str(error))
    try:
        _prepare_output_folder(args.out)
    except OSError as error:
        parser.error(f"argument --out: cannot write results to {args.out!r}: {error}")
    folder = ResultsFolder(args.out)
    try:
        merged = folder.prepare(config)
    except ConfigurationMismatch as error:
        parser.error(str(error))
    commands = folder.root / "commands.txt"
    previous = commands.read_text(encoding="utf-8") if commands.exists() else ""
    atomic_write_text(commands, previous + command + "\n")
    for (function, seed), (mode, scores) in baselines.items():
        folder.add_baselines(function, mode, seed, scores)

    finished = folder.finished(merged)
    trials = [t for t in config.trials() if (t.function, t.net_type, t.seed) not in finished]
    skipped = len(config.trials()) - len(trials)
    print(f"{PROG}: {len(config.functions)} function(s) x {len(config.nets)} network(s) x "
          f"{len(config.seeds)} seed(s), {config.layers} layer(s) x {config.units} units, up to "
          f"{config.max_epochs} epoch{'s' if config.max_epochs != 1 else ''}"
          + (f"; {skipped} finished trial(s) skipped" if skipped else ""), flush=True)
    progress = _Progress(len(trials))
    diverged = []

    def finished_trial(result: TrialResult) -> None:
        folder.add(result)
        t = result.trial
        if result.diverged:
            diverged.append(t.key)
        print(f"{t.function:<10} {t.net_type:<9} seed {t.seed}  val_mse "
              f"{result.best_val_mse:.4e}  {result.seconds:7.1f} s"
              + ("  (diverged)" if result.diverged else ""), flush=True)
        progress.step()

    from degann.experiments.runner import run_experiment

    try:
        run_experiment(config, trials, workers=args.workers, on_result=finished_trial,
                       plots_folder=os.path.join(args.out, "plots"),
                       plots_every=args.plots_every,
                       verbose=2 if args.verbose and args.workers == 1 else 0)
        paths = write_report(args.out, command)
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted; rerun the same command to resume", file=sys.stderr)
        return 130
    except BrokenProcessPool:
        print(f"{PROG}: error: a worker process stopped (killed or out of memory); "
              "rerun the same command to resume", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"{PROG}: error: cannot write results: {error}", file=sys.stderr)
        return 1
    print(f"wrote {folder.csv_path}, {paths['report']} and the plots in {folder.root}")
    if diverged:
        print(f"{PROG}: error: training diverged for {', '.join(diverged)} (non-finite "
              "loss); try a smaller --lr", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
