"""Train a GRU network and a dense network on the same windows and score them.

The data are prepared with NumPy only (:func:`prepare_data`), so a bad
setting is reported before TensorFlow starts; :func:`train_network` imports
the networks when it first runs.
"""

from __future__ import annotations

import os
import time
from dataclasses import asdict, dataclass, field
from typing import Callable, Sequence

import numpy as np

from degann._validation import (
    MAX_SEED,
    check_array,
    check_choice,
    check_float,
    check_int,
)
from degann.datasets import SplitWindows, functions, sample_function, split_windows
from degann.datasets.sequences import MODES

__all__ = [
    "ComparisonConfig",
    "NetworkResult",
    "NET_TYPES",
    "baseline_scores",
    "prepare_data",
    "run_comparison",
    "train_network",
]

#: Network types compared by the experiment, in the order they are trained.
NET_TYPES = ("GRUNet", "DenseNet")

#: Upper bounds of the settings, so that a typo cannot exhaust the memory.
LIMITS = {"layers": 64, "units": 4096, "n_points": 1_000_000, "seed": MAX_SEED}


@dataclass(frozen=True)
class ComparisonConfig:
    """Settings of one GRU-vs-Dense comparison.

    Attributes
    ----------
    function : str
        Built-in one-variable function to approximate.
    mode : {"sequence", "function"}
        Windowing mode (see :mod:`degann.datasets.sequences`).
    epochs : int
        Training epochs of each network.
    layers, units : int
        Hidden layers of each network and their width.
    time_steps : int
        Window length.
    noise : float
        Standard deviation of the Gaussian noise on observed values.
    seed : int
        Seed of the noise, the split, the initial weights and the shuffling.
    n_points : int
        Number of evenly spaced samples of the function.
    interval : (float, float) or None
        Sampling interval; ``None`` uses the function's default.
    val_fraction : float
        Share of the points used for validation.
    lr : float
        Adam's learning rate.
    batch_size : int
        Mini-batch size.
    """

    function: str = "hardsin"
    mode: str = "sequence"
    epochs: int = 100
    layers: int = 5
    units: int = 30
    time_steps: int = 10
    noise: float = 0.01
    seed: int = 0
    n_points: int = 1000
    interval: tuple[float, float] | None = None
    val_fraction: float = 0.2
    lr: float = 1e-3
    batch_size: int = 32
    net_types: tuple[str, ...] = field(default=NET_TYPES)

    def __post_init__(self) -> None:
        spec = functions.get(self.function)
        if spec.input_dim != 1:
            raise ValueError(
                f"function {self.function!r} has {spec.input_dim} variables; "
                "the comparison windows one-variable functions"
            )
        check_choice("mode", self.mode, MODES)
        check_int("epochs", self.epochs, minimum=1)
        check_int("layers", self.layers, minimum=1, maximum=LIMITS["layers"])
        check_int("units", self.units, minimum=1, maximum=LIMITS["units"])
        check_int("time_steps", self.time_steps, minimum=1)
        check_float("noise", self.noise, minimum=0.0)
        check_int("seed", self.seed, minimum=0, maximum=LIMITS["seed"])
        check_int("n_points", self.n_points, minimum=4, maximum=LIMITS["n_points"])
        check_float("val_fraction", self.val_fraction, minimum=0.0, maximum=1.0,
                    min_inclusive=False, max_inclusive=False)
        check_float("lr", self.lr, minimum=0.0, min_inclusive=False, maximum=1e6)
        check_int("batch_size", self.batch_size, minimum=1)
        for net_type in self.net_types:
            check_choice("net_type", net_type, NET_TYPES)

    @property
    def block_size(self) -> list[int]:
        """Hidden layer widths of both networks."""
        return [self.units] * self.layers

    def as_dict(self) -> dict:
        """Settings as plain data."""
        return asdict(self)


@dataclass
class NetworkResult:
    """Scores and predictions of one trained network.

    Attributes
    ----------
    net_type : str
        ``"GRUNet"`` or ``"DenseNet"``.
    train_mse : float
        MSE on the training windows against the observed (noisy) targets,
        i.e. the final training loss without dropout.
    val_mse : float
        MSE on the validation windows against the noise-free truth.
    train_seconds : float
        Wall time of ``train`` (all epochs, validation included).
    epoch_seconds : list of float
        Wall time of each epoch; the first includes building the graph.
    parameters : int
        Number of weights.
    history : dict
        Keras history: ``loss`` and ``val_loss`` per epoch. Training stops
        early if the loss becomes NaN (``diverged`` is then true).
    val_prediction : numpy.ndarray
        Predictions on the validation windows.
    best_epoch : int
        Epoch (1-based) whose weights were kept: the lowest validation loss
        against the observed targets; 0 if none was finite.
    """

    net_type: str
    train_mse: float
    val_mse: float
    train_seconds: float
    epoch_seconds: list
    parameters: int
    history: dict
    val_prediction: np.ndarray
    best_epoch: int = 0

    @property
    def seconds_per_epoch(self) -> float:
        """Median wall time of an epoch (robust to the first epoch's set-up)."""
        return float(np.median(self.epoch_seconds)) if self.epoch_seconds else float("nan")

    @property
    def diverged(self) -> bool:
        """Whether training produced non-finite losses or scores."""
        losses = self.history.get("loss", [])
        return not (
            np.isfinite(self.train_mse) and np.isfinite(self.val_mse)
            and np.all(np.isfinite(losses))
        )


def prepare_data(config: ComparisonConfig) -> SplitWindows:
    """Sample the function, add noise, split and window (NumPy only).

    Raises
    ------
    ValueError
        When the settings leave no window in a part (``time_steps`` too long).
    """
    table = sample_function(
        config.function, config.n_points, config.interval,
        noise=config.noise, seed=config.seed,
    )
    # The networks compute in float32: the observed values must fit.
    check_array(f"observed values with noise={config.noise:g}", table.y, dtype=np.float32)
    return split_windows(
        table, config.time_steps, config.mode,
        val_fraction=config.val_fraction, seed=config.seed,
    )


def _network_arguments(net_type: str, data: SplitWindows, config: ComparisonConfig):
    """IModel arguments and input arrays for one network type.

    Both networks see the same windows: the GRU as a sequence of
    ``time_steps`` steps, the dense network the same numbers flattened. Both
    use tanh hidden units, a linear output, Glorot-uniform kernels and zero
    biases.
    """
    if net_type == "GRUNet":
        kwargs = dict(input_size=data.train.features, net_type="GRUNet")
        return kwargs, data.train.inputs, data.val.inputs
    kwargs = dict(
        input_size=data.train.features * data.train.time_steps,
        net_type="DenseNet",
        activation_func=["tanh"] * config.layers + ["linear"],
        weight_init="glorot_uniform",
        bias_init="zeros",
    )
    return kwargs, data.train.flat, data.val.flat


def train_network(
    net_type: str,
    data: SplitWindows,
    config: ComparisonConfig,
    verbose: int = 0,
    plots_folder: str | None = None,
    plots_every: int = 0,
) -> NetworkResult:
    """Train one network on the prepared windows and score it.

    The network's ``seed`` fixes its initial weights and the order of the
    mini-batches, so the same configuration gives the same numbers.
    ``SaveBestModel`` keeps the weights of the epoch with the lowest
    validation loss (against the observed, noisy validation targets) and
    restores them before scoring. With ``plots_folder`` and ``plots_every``
    > 0, ``VisualizationTS`` writes snapshots there.
    """
    import tensorflow as tf

    from degann.networks.callbacks import SaveBestModel, VisualizationTS
    from degann.networks.imodel import IModel

    kwargs, x_train, x_val = _network_arguments(net_type, data, config)
    model = IModel(
        block_size=config.block_size, output_size=1, name=net_type.lower(),
        seed=config.seed, **kwargs,
    )
    model.compile(rate=config.lr, optimizer="Adam", loss_func="MeanSquaredError",
                  metrics=[])
    best = SaveBestModel(monitor="val_loss")
    callbacks = [tf.keras.callbacks.TerminateOnNaN(), best]
    if plots_folder is not None and plots_every > 0:
        callbacks.append(VisualizationTS(x_val, data.val.clean_targets, plots_folder,
                                         x_values=data.val.x, every=plots_every))
    start = time.perf_counter()
    history = model.train(
        x_train, data.train.targets,
        validation_data=(x_val, data.val.targets),
        epochs=config.epochs, mini_batch_size=config.batch_size, verbose=verbose,
        callbacks=callbacks,
    )
    seconds = time.perf_counter() - start
    train_prediction = model.predict(x_train)
    val_prediction = model.predict(x_val)
    return NetworkResult(
        net_type=net_type,
        train_mse=float(np.mean((train_prediction - data.train.targets) ** 2)),
        val_mse=float(np.mean((val_prediction - data.val.clean_targets) ** 2)),
        train_seconds=seconds,
        epoch_seconds=list(model.network.trained_time["epoch_time"]),
        parameters=model.count_params(),
        history={k: [float(v) for v in vals] for k, vals in history.history.items()},
        val_prediction=val_prediction[:, 0],
        best_epoch=best.best_epoch + 1,
    )


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


def run_comparison(
    config: ComparisonConfig,
    data: SplitWindows | None = None,
    on_result: Callable[[NetworkResult], None] | None = None,
    verbose: int = 0,
    plots_folder: str | None = None,
    plots_every: int = 0,
) -> list[NetworkResult]:
    """Train every network of ``config.net_types`` on the same data.

    Parameters
    ----------
    config : ComparisonConfig
        The settings.
    data : SplitWindows, optional
        Prepared data; :func:`prepare_data` is called when omitted.
    on_result : callable, optional
        Called with each :class:`NetworkResult` as soon as it is ready.
    verbose : int
        Keras verbosity during training.
    plots_folder, plots_every : str, int
        Where and how often ``VisualizationTS`` writes snapshots (one
        sub-folder per network); 0 writes none.

    Returns
    -------
    list of NetworkResult
    """
    if data is None:
        data = prepare_data(config)
    results = []
    for net_type in config.net_types:
        folder = None if plots_folder is None else os.path.join(plots_folder, net_type)
        result = train_network(net_type, data, config, verbose=verbose,
                               plots_folder=folder, plots_every=plots_every)
        results.append(result)
        if on_result is not None:
            on_result(result)
    return results


def results_rows(config: ComparisonConfig, results: Sequence[NetworkResult]) -> list[dict]:
    """One ``results.csv`` row per network."""
    return [
        {
            "function": config.function,
            "net_type": r.net_type,
            "mode": config.mode,
            "epochs": config.epochs,
            "time_steps": config.time_steps,
            "noise": config.noise,
            "seed": config.seed,
            "train_mse": r.train_mse,
            "val_mse": r.val_mse,
            "train_seconds": r.train_seconds,
            "parameters": r.parameters,
            "best_epoch": r.best_epoch,
        }
        for r in results
    ]
