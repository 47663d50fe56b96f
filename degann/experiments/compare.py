"""``degann-compare``: train a GRU and a dense network on the same data and compare.

Run ``degann-compare --help`` (or ``python -m degann.experiments.compare
--help``) for the options. With no arguments it approximates ``hardsin`` on
[0.1, 5] (1000 points, sequence mode, ``time_steps`` 10, noise 0.01, 5 x 30
networks, Adam, 100 epochs, seed 0) and writes ``results/results.csv``,
``results/report.md`` and ``results/hardsin.png``.

Exit codes: 0 on success, 2 for a bad option value (one line on stderr,
no traceback), 130 when interrupted.
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys
from typing import NoReturn, Sequence

from degann._validation import unknown_name_message
from degann.datasets import functions
from degann.datasets.sequences import MODES
from degann.experiments.runner import LIMITS, ComparisonConfig, NetworkResult, prepare_data

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


def _one_variable_functions() -> list[str]:
    return [n for n in functions.names() if functions.get(n).input_dim == 1]


def _function_name(text: str) -> str:
    choices = _one_variable_functions()
    if text in functions.names() and text not in choices:
        raise argparse.ArgumentTypeError(
            f"{text!r} has {functions.get(text).input_dim} variables; choose a "
            f"one-variable function: {', '.join(choices)}"
        )
    if text not in choices:
        raise argparse.ArgumentTypeError(unknown_name_message("function", text, choices))
    return text


def build_parser() -> argparse.ArgumentParser:
    """The command-line parser of ``degann-compare``."""
    defaults = ComparisonConfig()
    parser = _OneLineParser(
        prog=PROG,
        description=(
            "Train a GRU network and a dense network with the same layers and widths "
            "on the same windows of a function and compare their accuracy (against "
            "simple baselines too) and training time."
        ),
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument("--function", type=_function_name, default=defaults.function,
                        help="function to approximate, one of: "
                        f"{', '.join(_one_variable_functions())}")
    parser.add_argument("--mode", choices=MODES, default=defaults.mode,
                        help="sequence: previous (x, y) points predict the next y; "
                        "function: a window of x values predicts y at its end")
    parser.add_argument("--epochs", type=_int_at_least(1), default=defaults.epochs,
                        help="training epochs of each network")
    parser.add_argument("--layers", type=_int_at_least(1, LIMITS["layers"]),
                        default=defaults.layers, help="hidden layers of each network")
    parser.add_argument("--units", type=_int_at_least(1, LIMITS["units"]), default=defaults.units,
                        help="units per hidden layer")
    parser.add_argument("--time-steps", type=_int_at_least(1), default=defaults.time_steps,
                        help="window length")
    parser.add_argument("--noise", type=_float_in(0.0), default=defaults.noise,
                        help="standard deviation of Gaussian noise on observed y")
    parser.add_argument("--seed", type=_int_at_least(0, LIMITS["seed"]), default=defaults.seed,
                        help="seed of noise, split, weights and shuffling")
    parser.add_argument("--points", type=_int_at_least(4, LIMITS["n_points"]),
                        default=defaults.n_points,
                        help="number of evenly spaced samples of the function")
    parser.add_argument("--val-fraction", type=_float_in(0.0, 1.0, open_low=True, open_high=True),
                        default=defaults.val_fraction, help="share of points for validation")
    parser.add_argument("--lr", type=_float_in(0.0, 1e6, open_low=True), default=defaults.lr,
                        help="Adam learning rate")
    parser.add_argument("--batch-size", type=_int_at_least(1), default=defaults.batch_size,
                        help="mini-batch size")
    parser.add_argument("--out", default="results",
                        help="folder for results.csv, report.md and the plot")
    parser.add_argument("--plots-every", type=_int_at_least(0), default=0,
                        help="write loss and prediction snapshots every N epochs into "
                        "OUT/plots/<network>/ (0: none)")
    parser.add_argument("-v", "--verbose", action="store_true",
                        help="show Keras' progress for every epoch")
    return parser


def _prepare_output_folder(out: str, function: str) -> None:
    """Create ``out`` and check that the result files can be written there."""
    if not out:
        raise OSError("the folder name is empty")
    os.makedirs(out, exist_ok=True)
    for name in ("results.csv", "report.md", f"{function}.png"):
        path = os.path.join(out, name)
        if os.path.isdir(path):
            raise OSError(f"{path} is a folder")
    if not os.access(out, os.W_OK | os.X_OK):
        raise OSError(f"{out} is not writable")


def _print_result(result: NetworkResult) -> None:
    print(
        f"{result.net_type:<9} val_mse {result.val_mse:.4e}  train_mse "
        f"{result.train_mse:.4e}  train {result.train_seconds:7.1f} s  "
        f"best epoch {result.best_epoch}  ({result.parameters} parameters)",
        flush=True,
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the comparison from command-line arguments; return the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    command = shlex.join([PROG, *(sys.argv[1:] if argv is None else argv)])
    # Settings are checked and the data prepared before TensorFlow starts.
    try:
        config = ComparisonConfig(
            function=args.function, mode=args.mode, epochs=args.epochs,
            layers=args.layers, units=args.units, time_steps=args.time_steps,
            noise=args.noise, seed=args.seed, n_points=args.points,
            val_fraction=args.val_fraction, lr=args.lr, batch_size=args.batch_size,
        )
        data = prepare_data(config)
    except (TypeError, ValueError) as error:
        parser.error(str(error))
    try:
        _prepare_output_folder(args.out, config.function)
    except OSError as error:
        parser.error(f"argument --out: cannot write results to {args.out!r}: {error}")

    # Quieter TensorFlow C++ logging unless the user chose a level.
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    from degann.experiments.report import write_all
    from degann.experiments.runner import run_comparison

    print(
        f"{PROG}: {config.function}, {config.mode} mode, {len(data.train)} training / "
        f"{len(data.val)} validation windows, {config.layers}x{config.units}, "
        f"{config.epochs} epoch{'s' if config.epochs != 1 else ''}",
        flush=True,
    )
    try:
        results = run_comparison(config, data, on_result=_print_result,
                                 verbose=2 if args.verbose else 0,
                                 plots_folder=os.path.join(args.out, "plots"),
                                 plots_every=args.plots_every)
        paths = write_all(args.out, config, data, results, command)
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    except OSError as error:
        print(f"{PROG}: error: cannot write results: {error}", file=sys.stderr)
        return 1
    print(f"wrote {paths['csv']}, {paths['report']} and {paths['plot']}")
    diverged = [r.net_type for r in results if r.diverged]
    if diverged:
        print(
            f"{PROG}: error: training diverged for {', '.join(diverged)} (non-finite "
            "loss); try a smaller --lr",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
