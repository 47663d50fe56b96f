"""The experiment's folder: configuration, results, per-trial data, resuming.

Layout of ``out/``:

- ``config.json``: the settings (refused if a rerun changes how trials train);
- ``results.csv``: one row per (function, mode, network, seed, budget);
- ``baselines.csv``: simple predictors' validation MSE per (function, seed);
- ``trials/<function>_<network>_seed<k>.json``: loss curves and validation
  predictions of each finished trial, for plots.

Every file is rewritten atomically as each trial finishes, so an
interrupted run loses at most the trials in progress, and rerunning the same
command skips the finished ones.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
from pathlib import Path

from degann._io import atomic_write_text
from degann.experiments.runner import (
    CSV_COLUMNS,
    ExperimentConfig,
    TrialResult,
    config_from_dict,
)

__all__ = ["ConfigurationMismatch", "ResultsFolder"]

_INT_COLUMNS = {"seed", "epochs", "time_steps", "parameters", "best_epoch"}
_TEXT_COLUMNS = {"function", "mode", "net_type"}
BASELINE_COLUMNS = ("function", "mode", "seed", "baseline", "val_mse")


class ConfigurationMismatch(ValueError):
    """A rerun whose settings differ from those of the results already in a folder."""


def _typed(row: dict) -> dict:
    typed = {}
    for key, value in row.items():
        if key in _TEXT_COLUMNS or key == "baseline":
            typed[key] = value
        elif key in _INT_COLUMNS:
            typed[key] = int(value)
        else:
            typed[key] = float(value)
    return typed


def _csv_text(columns, rows) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({key: row[key] for key in columns})
    return buffer.getvalue()


def _read_csv(path: Path) -> list[dict]:
    if not path.exists():
        return []
    with open(path, newline="", encoding="utf-8") as handle:
        return [_typed(row) for row in csv.DictReader(handle)]


class ResultsFolder:
    """Reads and writes an experiment folder (see the module documentation)."""

    def __init__(self, out: str | os.PathLike) -> None:
        self.root = Path(out)
        self.config_path = self.root / "config.json"
        self.csv_path = self.root / "results.csv"
        self.baselines_path = self.root / "baselines.csv"
        self.trials_dir = self.root / "trials"

    # -- configuration -----------------------------------------------------
    def read_config(self) -> ExperimentConfig | None:
        """The stored configuration, or ``None`` for a new folder."""
        if not self.config_path.exists():
            return None
        try:
            data = json.loads(self.config_path.read_text(encoding="utf-8"))
            return config_from_dict(data)
        except (ValueError, TypeError) as error:
            raise ValueError(f"{self.config_path} is not a valid configuration: {error}") from None

    def prepare(self, config: ExperimentConfig) -> ExperimentConfig:
        """Create the folder or check it matches ``config``; return the merged config.

        A folder may gain functions, networks and seeds; any change to how a
        trial trains (budgets, sizes, noise, learning rate, ...) is refused.

        Raises
        ------
        ConfigurationMismatch
            If the folder holds results of other training settings.
        """
        self.root.mkdir(parents=True, exist_ok=True)
        stored = self.read_config()
        if stored is None:
            merged = config
        else:
            old, new = stored.training_settings(), config.training_settings()
            changed = sorted(k for k in new if old.get(k) != new[k])
            if changed:
                details = ", ".join(f"{k}: {old.get(k)!r} -> {new[k]!r}" for k in changed)
                raise ConfigurationMismatch(
                    f"{self.root} holds results of other settings ({details}); "
                    "choose another --out folder"
                )
            merged = ExperimentConfig(**{
                **{k: getattr(config, k) for k in new},
                "split": config.split,
                "functions": _union(stored.functions, config.functions),
                "nets": _union(stored.nets, config.nets),
                "seeds": _union(stored.seeds, config.seeds),
            })
        atomic_write_text(self.config_path, json.dumps(merged.as_dict(), indent=2) + "\n")
        return merged

    # -- results -----------------------------------------------------------
    def rows(self) -> list[dict]:
        """All result rows, typed."""
        return _read_csv(self.csv_path)

    def baselines(self) -> list[dict]:
        """All baseline rows, typed."""
        return _read_csv(self.baselines_path)

    def finished(self, config: ExperimentConfig) -> set[tuple[str, str, int]]:
        """(function, net_type, seed) of the trials with a row for every budget."""
        seen: dict[tuple, set] = {}
        for row in self.rows():
            seen.setdefault((row["function"], row["net_type"], row["seed"]), set()).add(
                row["epochs"])
        return {key for key, budgets in seen.items() if set(config.budgets) <= budgets}

    def add(self, result: TrialResult) -> None:
        """Store a finished trial: its rows, then its curves (both atomically)."""
        key = (result.trial.function, result.trial.net_type, result.trial.seed)
        kept = [r for r in self.rows() if (r["function"], r["net_type"], r["seed"]) != key]
        atomic_write_text(self.csv_path, _csv_text(CSV_COLUMNS, kept + result.rows))
        self.trials_dir.mkdir(exist_ok=True)
        payload = {"history": result.history, "curves": result.curves,
                   "seconds": result.seconds}
        atomic_write_text(self.trials_dir / f"{result.trial.key}.json",
                          json.dumps(_finite(payload)))

    def add_baselines(self, function: str, mode: str, seed: int, scores: dict) -> None:
        """Store the baselines of one (function, seed)."""
        kept = [r for r in self.baselines()
                if (r["function"], r["seed"]) != (function, seed)]
        new = [{"function": function, "mode": mode, "seed": seed, "baseline": name,
                "val_mse": value} for name, value in scores.items()]
        atomic_write_text(self.baselines_path, _csv_text(BASELINE_COLUMNS, kept + new))

    def trial_data(self, key: str) -> dict | None:
        """Curves and history of a trial, or ``None``."""
        path = self.trials_dir / f"{key}.json"
        if not path.exists():
            return None
        return json.loads(path.read_text(encoding="utf-8"))


def _union(first, second) -> tuple:
    return tuple(list(first) + [v for v in second if v not in first])


def _finite(value):
    """JSON-safe copy: NaN and infinities become ``None``."""
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_finite(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value
