"""The GRU-vs-Dense experiment: trials, budgets, scores, parallel execution.

A *trial* trains one network type on one function with one seed, once, up to
the largest epoch budget; at every budget on the way it scores the
best-so-far weights (as ``SaveBestModel`` keeps them), so one run serves all
budgets. Trials are independent: they run in this process, in a local
process pool (``workers > 1``) or on any ``concurrent.futures.Executor``
(a Dask or Ray cluster, for example).

The data are prepared with NumPy only (:func:`prepare_data`), so settings
are checked before TensorFlow starts; a trial imports the networks when it
runs.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from concurrent.futures import Executor, Future, ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass, fields
from typing import Callable, Iterable, Sequence

import numpy as np

from degann._validation import (
    MAX_SEED,
    check_array,
    check_choice,
    check_float,
    check_int,
)
from degann.datasets import (
    SplitWindows,
    Table,
    functions,
    rollout,
    sample_function,
    split_windows,
)
from degann.datasets.sequences import MODES, SPLITS

__all__ = [
    "ALL_FUNCTIONS",
    "ExperimentConfig",
    "LIMITS",
    "NET_TYPES",
    "PRESETS",
    "Trial",
    "TrialResult",
    "baseline_scores",
    "prepare_data",
    "run_experiment",
    "run_trial",
]

#: Network types compared by the experiment, in the order they are trained.
NET_TYPES = ("GRUNet", "DenseNet")

#: ``--functions all``: DEGANN's nine built-ins and hardsin.
ALL_FUNCTIONS = tuple(functions.names())

#: Upper bounds of the settings, so that a typo cannot exhaust the memory.
LIMITS = {"layers": 64, "units": 4096, "n_points": 1_000_000, "seed": MAX_SEED,
          "epochs": 100_000}


@dataclass(frozen=True)
class ExperimentConfig:
    """Settings of a GRU-vs-Dense experiment.

    Attributes
    ----------
    functions : tuple of str
        Built-in functions to approximate (``ALL_FUNCTIONS`` for all).
    nets : tuple of str
        Network types to compare.
    mode : {"sequence", "function"}
        Windowing mode (see :mod:`degann.datasets.sequences`). Functions of
        several variables (``multidim``) are always windowed point by point
        in function mode, on random points.
    budgets : tuple of int
        Epoch budgets; each trial trains up to the largest and is scored at
        every one.
    seeds : tuple of int
        Seeds; each seeds the noise, the split, the initial weights and the
        mini-batch order of its trials.
    layers, units : int
        Hidden layers of each network and their width.
    time_steps : int
        Window length.
    noise : float
        Standard deviation of the Gaussian noise on observed values.
    split : {"tail", "random"} or None
        Validation split; ``None`` takes the mode's default.
    n_points : int
        Samples of each function.
    val_fraction : float
        Share of the points used for validation.
    lr : float
        Adam's learning rate.
    batch_size : int
        Mini-batch size.
    """

    functions: tuple[str, ...] = ("hardsin",)
    nets: tuple[str, ...] = NET_TYPES
    mode: str = "sequence"
    budgets: tuple[int, ...] = (100,)
    seeds: tuple[int, ...] = (0,)
    layers: int = 5
    units: int = 30
    time_steps: int = 10
    noise: float = 0.01
    split: str | None = None
    n_points: int = 1000
    val_fraction: float = 0.2
    lr: float = 1e-3
    batch_size: int = 32

    def __post_init__(self) -> None:
        for name in ("functions", "nets", "budgets", "seeds"):
            value = getattr(self, name)
            if isinstance(value, (str, int)) or not isinstance(value, Iterable):
                value = (value,)
            value = tuple(value)
            if not value:
                raise ValueError(f"{name} must not be empty")
            if len(set(value)) != len(value):
                raise ValueError(f"{name} lists a value twice: {list(value)}")
            object.__setattr__(self, name, value)
        for name in self.functions:
            functions.get(name)
        for net_type in self.nets:
            check_choice("net_type", net_type, NET_TYPES)
        check_choice("mode", self.mode, MODES)
        if self.split is not None:
            check_choice("split", self.split, SPLITS)
        budgets = [check_int("epochs", b, minimum=1, maximum=LIMITS["epochs"])
                   for b in self.budgets]
        object.__setattr__(self, "budgets", tuple(sorted(budgets)))
        for seed in self.seeds:
            check_int("seed", seed, minimum=0, maximum=LIMITS["seed"])
        check_int("layers", self.layers, minimum=1, maximum=LIMITS["layers"])
        check_int("units", self.units, minimum=1, maximum=LIMITS["units"])
        check_int("time_steps", self.time_steps, minimum=1)
        check_float("noise", self.noise, minimum=0.0)
        check_int("n_points", self.n_points, minimum=4, maximum=LIMITS["n_points"])
        check_float("val_fraction", self.val_fraction, minimum=0.0, maximum=1.0,
                    min_inclusive=False, max_inclusive=False)
        check_float("lr", self.lr, minimum=0.0, min_inclusive=False, maximum=1e6)
        check_int("batch_size", self.batch_size, minimum=1)

    @property
    def block_size(self) -> list[int]:
        """Hidden layer widths of both networks."""
        return [self.units] * self.layers

    @property
    def max_epochs(self) -> int:
        """The largest budget: how long each trial trains."""
        return self.budgets[-1]

    def as_dict(self) -> dict:
        """Settings as plain data."""
        data = asdict(self)
        return {k: list(v) if isinstance(v, tuple) else v for k, v in data.items()}

    def training_settings(self) -> dict:
        """Everything that changes a trial's numbers (not which trials run)."""
        data = self.as_dict()
        for key in ("functions", "nets", "seeds"):
            data.pop(key)
        return data

    def trials(self) -> list["Trial"]:
        """Every (function, network, seed) trial, seed by seed.

        All functions are covered for the first seed before the next seed
        starts, so an interrupted run has the widest coverage.
        """
        return [Trial(f, n, s) for s in self.seeds for f in self.functions for n in self.nets]

    def mode_for(self, function: str) -> str:
        """The windowing mode used for ``function``."""
        return "function" if functions.get(function).input_dim > 1 else self.mode


#: Named settings of ``degann-compare --preset``.
PRESETS = {
    "quick": dict(functions=("hardsin",), budgets=(100,), seeds=(0,)),
    "full": dict(functions=ALL_FUNCTIONS, budgets=(100, 200, 500, 1000), seeds=(0, 1, 2)),
}


@dataclass(frozen=True)
class Trial:
    """One network type trained on one function with one seed."""

    function: str
    net_type: str
    seed: int

    @property
    def key(self) -> str:
        """A file-name-safe identifier."""
        return f"{self.function}_{self.net_type}_seed{self.seed}"


@dataclass
class TrialResult:
    """What a trial produced.

    Attributes
    ----------
    trial : Trial
        The trial.
    rows : list of dict
        One ``results.csv`` row per budget.
    history : dict
        Keras history (``loss``, ``val_loss`` per epoch).
    curves : dict
        Validation data for plots at the largest budget: ``x``, ``truth``,
        ``observed``, ``prediction`` and (sequence mode) ``rollout``.
    seconds : float
        Wall time of the whole trial.
    """

    trial: Trial
    rows: list
    history: dict
    curves: dict
    seconds: float = 0.0
    diverged: bool = False

    @property
    def best_val_mse(self) -> float:
        """Validation MSE at the largest budget."""
        return float(self.rows[-1]["val_mse"]) if self.rows else float("nan")


def prepare_data(config: ExperimentConfig, function: str, seed: int) -> tuple[Table, SplitWindows]:
    """Sample ``function``, add noise, split and window it (NumPy only).

    Returns
    -------
    (table, data) : Table and SplitWindows
        The sampled table and its training and validation windows.

    Raises
    ------
    ValueError
        When the settings leave no window in a part (``time_steps`` too long).
    """
    spec = functions.get(function)
    if spec.input_dim > 1:
        table = sample_function(function, config.n_points, spacing="random",
                                noise=config.noise, seed=seed)
        check_array(f"observed values with noise={config.noise:g}", table.y, dtype=np.float32)
        return table, split_windows(table, 1, "function", val_fraction=config.val_fraction,
                                    split=config.split, seed=seed)
    table = sample_function(function, config.n_points, noise=config.noise, seed=seed)
    # The networks compute in float32: the observed values must fit.
    check_array(f"observed values with noise={config.noise:g}", table.y, dtype=np.float32)
    return table, split_windows(table, config.time_steps, config.mode,
                                val_fraction=config.val_fraction, split=config.split,
                                seed=seed)


def baseline_scores(data: SplitWindows) -> dict[str, float]:
    """Validation MSE (against the clean truth) of simple predictors.

    They put the networks' scores in context: a network that does not beat
    them has not learned more than they know.

    - ``training mean``: the mean of the training targets, for every window;
    - ``linear least squares``: an affine function of the flattened window,
      fitted to the training windows;
    - ``last observed value`` (sequence mode): the window's last ``y``.
    """
    truth = data.val.clean_targets[:, 0]
    scores = {"training mean": float(np.mean((np.mean(data.train.targets) - truth) ** 2))}
    design = np.hstack([data.train.flat, np.ones((len(data.train), 1))])
    coefficients, *_ = np.linalg.lstsq(design, data.train.targets[:, 0], rcond=None)
    linear = np.hstack([data.val.flat, np.ones((len(data.val), 1))]) @ coefficients
    scores["linear least squares"] = float(np.mean((linear - truth) ** 2))
    if data.mode == "sequence":
        scores["last observed value"] = float(np.mean((data.val.inputs[:, -1, -1] - truth) ** 2))
    return scores


def _network_arguments(net_type: str, data: SplitWindows, config: ExperimentConfig):
    """IModel arguments and input arrays for one network type.

    Both networks see the same windows: the GRU as a sequence of
    ``time_steps`` steps, the dense network the same numbers flattened. Both
    use tanh hidden units, a linear output, Glorot-uniform kernels and zero
    biases.
    """
    if net_type == "GRUNet":
        return dict(input_size=data.train.features, net_type="GRUNet"), False
    kwargs = dict(
        input_size=data.train.features * data.train.time_steps,
        net_type="DenseNet",
        activation_func=["tanh"] * config.layers + ["linear"],
        weight_init="glorot_uniform",
        bias_init="zeros",
    )
    return kwargs, True


def run_trial(config: ExperimentConfig, trial: Trial, plots_folder: str | None = None,
              plots_every: int = 0, verbose: int = 0) -> TrialResult:
    """Train one network up to the largest budget and score it at every budget.

    At each budget the best-so-far weights (lowest validation loss against
    the observed validation targets, as ``SaveBestModel`` keeps them) are
    scored: MSE on the training windows (observed targets), validation MSE,
    MAE and maximum absolute error against the clean truth, and in sequence
    mode the MSE of a rollout over the whole validation part. The time to
    reach a budget counts training only, not this scoring.
    """
    started = time.perf_counter()
    import tensorflow as tf

    from degann.networks.callbacks import SaveBestModel, VisualizationTS
    from degann.networks.imodel import IModel

    table, data = prepare_data(config, trial.function, trial.seed)
    kwargs, flat = _network_arguments(trial.net_type, data, config)
    x_train = data.train.flat if flat else data.train.inputs
    x_val = data.val.flat if flat else data.val.inputs
    model = IModel(block_size=config.block_size, output_size=1,
                   name=trial.net_type.lower(), seed=trial.seed, **kwargs)
    model.compile(rate=config.lr, optimizer="Adam", loss_func="MeanSquaredError", metrics=[])
    mode = config.mode_for(trial.function)

    def score() -> dict:
        train_prediction = model.predict(x_train)
        val_prediction = model.predict(x_val)
        error = val_prediction[:, 0] - data.val.clean_targets[:, 0]
        scores = {
            "train_mse": float(np.mean((train_prediction - data.train.targets) ** 2)),
            "val_mse": float(np.mean(error ** 2)),
            "val_mae": float(np.mean(np.abs(error))),
            "val_max_abs": float(np.max(np.abs(error))),
            "rollout_mse": float("nan"),
        }
        curves = {"prediction": val_prediction[:, 0]}
        if mode == "sequence" and data.split == "tail":
            start = len(data.train_index)
            path = rollout(model, table, config.time_steps, start, flat=flat)[:, 0]
            truth = table.y_clean2d[start:, 0]
            scores["rollout_mse"] = float(np.mean((path - truth) ** 2))
            curves["rollout"] = path
            curves["rollout_x"] = table.x[start:]
            curves["rollout_truth"] = truth
        return scores, curves

    best = SaveBestModel(monitor="val_loss")
    recorder = _budget_recorder(config.budgets, best, score)
    callbacks = [tf.keras.callbacks.TerminateOnNaN(), best, recorder]
    if plots_folder is not None and plots_every > 0:
        callbacks.append(VisualizationTS(x_val, data.val.clean_targets,
                                         os.path.join(plots_folder, trial.key),
                                         x_values=data.val.x, every=plots_every))
    history = model.train(
        x_train, data.train.targets, validation_data=(x_val, data.val.targets),
        epochs=config.max_epochs, mini_batch_size=config.batch_size, verbose=verbose,
        callbacks=callbacks,
    )
    history = {k: [float(v) for v in values] for k, values in history.history.items()}
    diverged = len(history.get("loss", [])) < config.max_epochs or not np.all(
        np.isfinite(history.get("loss", [np.nan])))
    rows = []
    for budget, (scores, seconds, per_epoch, best_epoch) in recorder.records.items():
        rows.append({
            "function": trial.function, "mode": mode, "net_type": trial.net_type,
            "seed": trial.seed, "epochs": budget, "time_steps": data.train.time_steps,
            "noise": config.noise, **scores, "train_seconds": seconds,
            "seconds_per_epoch": per_epoch, "parameters": model.count_params(),
            "best_epoch": best_epoch,
        })
    for budget in config.budgets:
        if budget not in recorder.records:  # training stopped early (NaN loss)
            rows.append({
                "function": trial.function, "mode": mode, "net_type": trial.net_type,
                "seed": trial.seed, "epochs": budget, "time_steps": data.train.time_steps,
                "noise": config.noise, "train_mse": float("nan"), "val_mse": float("nan"),
                "val_mae": float("nan"), "val_max_abs": float("nan"),
                "rollout_mse": float("nan"), "train_seconds": float("nan"),
                "seconds_per_epoch": float("nan"), "parameters": model.count_params(),
                "best_epoch": 0,
            })
    curves = {"x": data.val.x, "truth": data.val.clean_targets[:, 0],
              "observed": data.val.targets[:, 0], **recorder.last_curves}
    return TrialResult(
        trial=trial, rows=rows, history=history,
        curves={k: np.asarray(v).tolist() for k, v in curves.items()},
        seconds=time.perf_counter() - started, diverged=diverged,
    )


def _budget_recorder(budgets, best, score):
    """A Keras callback that scores the best-so-far weights at each budget.

    Defined inside a function so that TensorFlow is imported only when a
    trial runs.
    """
    import tensorflow as tf

    class Recorder(tf.keras.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.records: dict[int, tuple] = {}
            self.last_curves: dict = {}
            self._scoring = 0.0

        def on_train_begin(self, logs=None):
            self._start = time.perf_counter()
            self._epoch_times: list[float] = []

        def on_epoch_begin(self, epoch, logs=None):
            self._epoch_start = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            self._epoch_times.append(time.perf_counter() - self._epoch_start)
            if epoch + 1 not in budgets:
                return
            begin = time.perf_counter()
            trained = begin - self._start - self._scoring
            current = self.model.get_weights()
            if best.best_weights is not None:
                self.model.set_weights(best.best_weights)
            scores, curves = score()
            self.model.set_weights(current)
            self.records[epoch + 1] = (scores, trained,
                                       float(np.median(self._epoch_times)),
                                       best.best_epoch + 1)
            self.last_curves = curves
            self._scoring += time.perf_counter() - begin

    return Recorder()


def _limit_threads(threads: int) -> None:
    """Worker start-up: share the cores fairly among the workers."""
    for name in ("TF_NUM_INTRAOP_THREADS", "TF_NUM_INTEROP_THREADS", "OMP_NUM_THREADS"):
        os.environ[name] = str(threads)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def local_executor(workers: int) -> Executor:
    """A process pool of ``workers`` processes, threads per process limited.

    Each worker gets ``max(1, cores // workers)`` TensorFlow threads, so that
    the workers share the machine instead of fighting over it.
    """
    workers = check_int("workers", workers, minimum=1, maximum=256)
    threads = max(1, (os.cpu_count() or 1) // workers)
    return ProcessPoolExecutor(max_workers=workers,
                               mp_context=multiprocessing.get_context("spawn"),
                               initializer=_limit_threads, initargs=(threads,))


def run_experiment(
    config: ExperimentConfig,
    trials: Sequence[Trial] | None = None,
    *,
    executor: Executor | None = None,
    workers: int = 1,
    on_result: Callable[[TrialResult], None] | None = None,
    plots_folder: str | None = None,
    plots_every: int = 0,
    verbose: int = 0,
) -> list[TrialResult]:
    """Run trials and hand each result to ``on_result`` as soon as it is ready.

    Parameters
    ----------
    config : ExperimentConfig
        The settings.
    trials : list of Trial, optional
        The trials to run (default: all of ``config.trials()``).
    executor : concurrent.futures.Executor, optional
        Where to run the trials: any executor, such as a Dask client's
        ``get_executor()``. Default: this process when ``workers == 1``,
        else a local process pool of ``workers`` processes.
    workers : int
        Local processes when no executor is given.
    on_result : callable, optional
        Called in this process with each :class:`TrialResult`.
    plots_folder, plots_every : str, int
        ``VisualizationTS`` snapshots (one sub-folder per trial); 0: none.
    verbose : int
        Keras verbosity (in-process runs only).

    Returns
    -------
    list of TrialResult
        In the order they finished.
    """
    trials = config.trials() if trials is None else list(trials)
    results = []

    def done(result: TrialResult) -> None:
        results.append(result)
        if on_result is not None:
            on_result(result)

    workers = check_int("workers", workers, minimum=1, maximum=256)
    if executor is None and workers == 1:
        for trial in trials:
            done(run_trial(config, trial, plots_folder, plots_every, verbose))
        return results
    owned = executor is None
    pool = local_executor(workers) if owned else executor
    try:
        futures: list[Future] = [
            pool.submit(run_trial, config, trial, plots_folder, plots_every, 0)
            for trial in trials
        ]
        for future in as_completed(futures):
            done(future.result())
    except BaseException:
        for future in futures if "futures" in locals() else []:
            future.cancel()
        raise
    finally:
        if owned:
            pool.shutdown(wait=True, cancel_futures=True)
    return results


#: Columns of ``results.csv``, in order.
CSV_COLUMNS = (
    "function", "mode", "net_type", "seed", "epochs", "time_steps", "noise",
    "train_mse", "val_mse", "val_mae", "val_max_abs", "rollout_mse",
    "train_seconds", "seconds_per_epoch", "parameters", "best_epoch",
)


def config_from_dict(data: dict) -> ExperimentConfig:
    """Rebuild a configuration from :meth:`ExperimentConfig.as_dict` output."""
    names = {f.name for f in fields(ExperimentConfig)}
    unknown = sorted(set(data) - names)
    if unknown:
        raise ValueError(f"unknown configuration key(s) {unknown}")
    return ExperimentConfig(**{k: tuple(v) if isinstance(v, list) else v
                               for k, v in data.items()})


