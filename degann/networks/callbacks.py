"""Training callbacks: stop early, keep the best network, watch the fit.

Every class subclasses ``tf.keras.callbacks.Callback`` and works both in
``IModel.train(callbacks=[...])`` and in a plain Keras ``fit``, for DenseNet
and GRUNet alike.

- :class:`EarlyStopping`: Keras' early stopping, restoring the best weights
  at the end of training whether or not the stop fired;
- :class:`SaveBestModel`: keeps the best weights in memory, restores them at
  the end, and writes the best network to ``.apg`` (and ``.keras``) files
  atomically, only on improvement;
- :class:`VisualizationTS`: PNG snapshots of the loss curves and of truth
  vs prediction, headless, closing everything it draws;
- :class:`MeasureTrainTime`, :class:`LightHistory`, :class:`MemoryCleaner`:
  DEGANN's timing, light history and memory helpers.
"""

from __future__ import annotations

import gc
import logging
import os
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import tensorflow as tf

from degann._io import atomic_path
from degann._validation import (
    check_array,
    check_bool,
    check_choice,
    check_float,
    check_int,
)
from degann.networks import serialization

__all__ = [
    "EarlyStopping",
    "LightHistory",
    "MeasureTrainTime",
    "MemoryCleaner",
    "SaveBestModel",
    "VisualizationTS",
]

logger = logging.getLogger(__name__)


class EarlyStopping(tf.keras.callbacks.EarlyStopping):
    """Stop training when a monitored quantity has stopped improving.

    Keras' ``EarlyStopping`` with the same arguments and meaning, plus one
    guarantee: with ``restore_best_weights=True`` the network ends training
    with the best epoch's weights whether or not the stop fired (older Keras
    versions restored them only when early stopping itself ended training,
    so a best epoch within ``patience`` of the last epoch was lost).

    Parameters
    ----------
    monitor : str
        Quantity to watch, such as ``"val_loss"`` or ``"loss"``.
    min_delta : float
        Smallest change that counts as an improvement.
    patience : int
        Epochs without improvement before training stops.
    verbose : int
        0 is silent, 1 prints a line when stopping or restoring.
    mode : {"auto", "min", "max"}
        Whether the quantity should decrease or increase.
    baseline : float, optional
        Value the quantity must beat.
    restore_best_weights : bool
        Restore the best epoch's weights at the end of training.
    start_from_epoch : int
        Epochs of warm-up before improvements are tracked.

    Attributes
    ----------
    stopped_epoch : int
        Epoch (0-based) at which training was stopped; 0 if it ran to the end.
    best_epoch : int
        Epoch (0-based) of the best monitored value.
    best : float
        The best monitored value.
    """

    def __init__(
        self,
        monitor: str = "val_loss",
        min_delta: float = 0.0,
        patience: int = 0,
        verbose: int = 0,
        mode: str = "auto",
        baseline: float | None = None,
        restore_best_weights: bool = False,
        start_from_epoch: int = 0,
    ) -> None:
        _check_monitor(monitor)
        check_float("min_delta", min_delta)
        check_verbose_level(verbose)
        if baseline is not None:
            check_float("baseline", baseline)
        check_int("patience", patience, minimum=0)
        check_choice("mode", mode, ("auto", "min", "max"))
        check_bool("restore_best_weights", restore_best_weights)
        check_int("start_from_epoch", start_from_epoch, minimum=0)
        super().__init__(
            monitor=monitor, min_delta=min_delta, patience=patience, verbose=verbose,
            mode=mode, baseline=baseline, restore_best_weights=restore_best_weights,
            start_from_epoch=start_from_epoch,
        )

    def on_train_end(self, logs=None):
        super().on_train_end(logs)
        if self.restore_best_weights and getattr(self, "best_weights", None) is not None:
            self.model.set_weights(self.best_weights)


def _check_monitor(monitor: object) -> str:
    if not isinstance(monitor, str):
        raise TypeError(f"monitor must be a metric name, got {type(monitor).__name__}")
    if not monitor:
        raise ValueError("monitor must be a metric name such as 'val_loss', got ''")
    return monitor


def check_verbose_level(verbose: object) -> int:
    """A callback's verbosity: 0 (silent) or 1 (log at INFO level)."""
    if isinstance(verbose, bool) or verbose not in (0, 1, 2):
        raise ValueError(f"verbose must be 0, 1 or 2, got {verbose!r}")
    return int(verbose)


def _check_target_file(name: str, path: Path) -> None:
    """Create the parent folder and refuse a target that cannot be a file."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ValueError(f"{name}: cannot create the folder of {path}: {error}") from None
    if path.is_dir():
        raise ValueError(f"{name}: {path} is a folder, not a file")
    if not os.access(path.parent, os.W_OK):
        raise ValueError(f"{name}: the folder {path.parent} is not writable")


def _finite_weights(weights: list) -> bool:
    return all(np.all(np.isfinite(w)) for w in weights)


class _Best:
    """Best value, epoch and weights of one monitored quantity."""

    def __init__(self, better, start: float) -> None:
        self.better, self.value, self.epoch, self.weights = better, start, -1, None

    def offer(self, value: float, epoch: int, weights: list, min_delta: float) -> bool:
        if self.epoch >= 0:
            margin = -min_delta if self.better is np.less else min_delta
            if not self.better(value - margin, self.value):
                return False
        self.value, self.epoch, self.weights = value, epoch, weights
        return True


def _monitor_op(mode: str, monitor: str):
    if mode == "max" or (mode == "auto" and any(
            key in monitor for key in ("acc", "auc", "precision", "recall", "r2"))):
        return np.greater, -np.inf
    return np.less, np.inf


class SaveBestModel(tf.keras.callbacks.Callback):
    """Keep the network with the best monitored value.

    Parameters
    ----------
    monitor : str
        Quantity to watch (default ``"val_loss"``). When the logs do not hold
        it (training without validation data) and it starts with ``val_``,
        the callback falls back to the training quantity (``"loss"``) and
        warns once.
    mode : {"auto", "min", "max"}
        Whether the quantity should decrease or increase (``"auto"``: losses
        and errors decrease).
    min_delta : float
        Smallest change that counts as an improvement.
    restore_best : bool
        Restore the best weights at the end of training (default True).
    path : str, optional
        If given, the best network is written to ``path + ".apg"`` (DEGANN's
        format, loadable with ``IModel.from_file(path)``) on every
        improvement. Needs a degann network (one with ``to_dict``).
    keras_path : str, optional
        If given, the best network is also saved as a Keras file at this
        path (it must end with ``.keras``).
    verbose : int
        1 logs each improvement.

    Attributes
    ----------
    best_value : float
        Best monitored value (``inf``/``-inf`` before the first epoch).
    best_epoch : int
        Epoch (0-based) of the best value; -1 before the first epoch.
    best_weights : list of numpy.ndarray or None
        The best weights, kept in memory.
    monitor_used : str
        The quantity actually tracked (after a fallback).

    Notes
    -----
    Files are written to a temporary file in the same folder and renamed
    over the old one, so an interrupted write leaves the previous best file
    intact.
    """

    def __init__(
        self,
        monitor: str = "val_loss",
        mode: str = "auto",
        min_delta: float = 0.0,
        restore_best: bool = True,
        path: str | os.PathLike | None = None,
        keras_path: str | os.PathLike | None = None,
        verbose: int = 0,
    ) -> None:
        super().__init__()
        self.monitor = _check_monitor(monitor)
        self.mode = check_choice("mode", mode, ("auto", "min", "max"))
        self.min_delta = check_float("min_delta", min_delta, minimum=0.0)
        self.restore_best = check_bool("restore_best", restore_best)
        self.verbose = check_verbose_level(verbose)
        if path is not None:
            if not isinstance(path, (str, os.PathLike)):
                raise TypeError(f"path must be a str or path-like, got {type(path).__name__}")
            if not os.path.basename(os.fspath(path)):
                raise ValueError(f"path must name a file (path + '.apg'), got {path!r}")
        if keras_path is not None:
            if not isinstance(keras_path, (str, os.PathLike)):
                raise TypeError(
                    f"keras_path must be a str or path-like, got {type(keras_path).__name__}"
                )
            if not os.fspath(keras_path).endswith(".keras"):
                raise ValueError(f"keras_path must end with '.keras', got {keras_path!r}")
        self.path = path
        self.keras_path = keras_path
        self._fallback = self.monitor[4:] if self.monitor.startswith("val_") else None
        self._reset()

    def _reset(self) -> None:
        better, start = _monitor_op(self.mode, self.monitor)
        self._primary = _Best(better, start)
        self._secondary = _Best(better, start)
        self._warned = False

    def _tracker(self) -> tuple[_Best, str]:
        if self._primary.epoch >= 0 or self._secondary.epoch < 0:
            return self._primary, self.monitor
        return self._secondary, self._fallback

    @property
    def best_value(self) -> float:
        """Best monitored value (``inf``/``-inf`` before any epoch)."""
        return self._tracker()[0].value

    @property
    def best_epoch(self) -> int:
        """Epoch (0-based) of the best value; -1 if none yet."""
        return self._tracker()[0].epoch

    @property
    def best_weights(self) -> list[np.ndarray] | None:
        """The best weights, kept in memory."""
        return self._tracker()[0].weights

    @property
    def monitor_used(self) -> str:
        """The quantity actually tracked (``monitor`` or its fallback)."""
        return self._tracker()[1]

    def on_train_begin(self, logs=None):
        self._reset()
        if self.path is not None:
            if not hasattr(self.model, "to_dict"):
                raise TypeError(
                    "SaveBestModel(path=...) writes DEGANN .apg files and needs a degann "
                    f"network; got a {type(self.model).__name__}. Use keras_path instead."
                )
            _check_target_file("path", Path(os.fspath(self.path) + serialization.APG_SUFFIX))
        if self.keras_path is not None:
            _check_target_file("keras_path", Path(self.keras_path))

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        if self.monitor in logs:
            tracker, name = self._primary, self.monitor
        elif self._fallback in logs and self._primary.epoch < 0:
            tracker, name = self._secondary, self._fallback
        else:
            return
        value = float(logs[name])
        if not np.isfinite(value):
            return
        weights = [np.array(w) for w in self.model.get_weights()]
        if not _finite_weights(weights):
            return
        if tracker.offer(value, epoch, weights, self.min_delta) and tracker is self._tracker()[0]:
            if self.verbose:
                logger.info("epoch %d: best %s = %.6g", epoch + 1, name, value)
            self._write()

    def _write(self) -> None:
        if self.path is not None:
            serialization.write_apg(self.path, self.model.to_dict())
        if self.keras_path is not None:
            target = Path(self.keras_path)
            fd, tmp = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=".keras",
                                       dir=target.parent)
            os.close(fd)
            try:
                self.model.save(tmp)
                os.chmod(tmp, 0o644)
                os.replace(tmp, target)
            except BaseException:
                if os.path.exists(tmp):
                    os.unlink(tmp)
                raise

    def on_train_end(self, logs=None):
        tracker, name = self._tracker()
        if name != self.monitor and not self._warned:
            warnings.warn(
                f"SaveBestModel: {self.monitor!r} never appeared in the training logs "
                f"(no validation data?); tracked {name!r} instead",
                UserWarning,
                stacklevel=2,
            )
            self._warned = True
        elif tracker.epoch < 0 and not self._warned:
            warnings.warn(
                f"SaveBestModel: neither {self.monitor!r} nor a fallback appeared in the "
                "training logs with a finite value; nothing was kept",
                UserWarning,
                stacklevel=2,
            )
            self._warned = True
        if self.restore_best and tracker.weights is not None:
            self.model.set_weights(tracker.weights)


def _inference(model: Any):
    """The network's compiled forward pass, or one compiled for a plain Keras model."""
    call = getattr(model, "inference", None)
    if call is None:
        call = tf.function(lambda inputs: model(inputs, training=False), reduce_retracing=True)
    return call


def _predict(call, x: np.ndarray) -> np.ndarray:
    """Inference in chunks."""
    chunk = 8192
    return np.concatenate([np.asarray(call(x[i : i + chunk])) for i in range(0, len(x), chunk)])


class VisualizationTS(tf.keras.callbacks.Callback):
    """Save PNG snapshots of the loss curves and of truth vs prediction.

    Every ``every`` epochs and at the end of training it writes, into
    ``folder``, ``loss_epoch<N>.png`` (training and validation loss, log
    scale) and ``prediction_epoch<N>.png`` (truth, prediction and absolute
    error), then ``loss_final.png`` and ``prediction_final.png``. It uses
    Matplotlib's ``Figure`` API only: no display is needed, the global
    backend is never changed and no window opens; every figure is released
    after saving, so memory does not grow over long trainings.

    Parameters
    ----------
    x_data : array_like
        Inputs to predict on, shaped as the network expects.
    y_true : array_like
        True values, ``(n,)`` or ``(n, 1)`` (the first output is plotted).
    folder : str or path-like
        Where the PNG files go (created if needed).
    x_values : array_like, optional
        Horizontal axis of the prediction plot (default: sample index).
    every : int
        Snapshot period in epochs (default 10).
    show : bool
        Also display each figure inline (Jupyter); needs IPython.
    dpi : int
        Resolution of the PNG files.
    """

    def __init__(
        self,
        x_data: Any,
        y_true: Any,
        folder: str | os.PathLike = "plots",
        x_values: Any = None,
        every: int = 10,
        show: bool = False,
        dpi: int = 90,
    ) -> None:
        super().__init__()
        self.x_data = np.asarray(check_array("x_data", x_data), dtype=np.float32)
        y = check_array("y_true", y_true, ndim=(1, 2, 3))
        self.y_true = y.reshape(len(y), -1)[:, 0]
        if len(self.y_true) != len(self.x_data):
            raise ValueError(
                f"y_true has {len(self.y_true)} values but x_data {len(self.x_data)} samples"
            )
        if x_values is None:
            self.x_values = np.arange(len(self.y_true))
        else:
            self.x_values = check_array("x_values", x_values, ndim=1)
            if len(self.x_values) != len(self.y_true):
                raise ValueError(
                    f"x_values has {len(self.x_values)} values, expected {len(self.y_true)}"
                )
        if not isinstance(folder, (str, os.PathLike)):
            raise TypeError(f"folder must be a str or path-like, got {type(folder).__name__}")
        self.folder = Path(folder)
        self.every = check_int("every", every, minimum=1)
        self.show = check_bool("show", show)
        self.dpi = check_int("dpi", dpi, minimum=10)
        self.history: dict[str, list[float]] = {}
        self.written: list[Path] = []

    def on_train_begin(self, logs=None):
        self.history = {}
        self.folder.mkdir(parents=True, exist_ok=True)
        check_inputs = getattr(self.model, "check_inputs", None)
        if check_inputs is not None:
            # The same input shapes as IModel.train accepts, checked now.
            self._inputs = check_inputs(self.x_data, "x_data")
        else:
            self._inputs = self.x_data
        self._call = _inference(self.model)

    def on_epoch_end(self, epoch, logs=None):
        for key, value in (logs or {}).items():
            if key in ("loss", "val_loss"):
                self.history.setdefault(key, []).append(float(value))
        if (epoch + 1) % self.every == 0:
            self._snapshot(f"epoch{epoch + 1:05d}", epoch + 1)

    def on_train_end(self, logs=None):
        epochs = len(self.history.get("loss", []))
        self._snapshot("final", epochs, final=True)

    def _snapshot(self, tag: str, epoch: int, final: bool = False) -> None:
        from matplotlib.figure import Figure

        figure = Figure(figsize=(7, 4), layout="constrained")
        axes = figure.subplots()
        for key, values in self.history.items():
            axes.plot(np.arange(1, len(values) + 1), values, label=key)
        if any(np.all(np.asarray(v) > 0) for v in self.history.values()):
            axes.set_yscale("log")
        axes.set_xlabel("epoch")
        axes.set_ylabel("loss")
        axes.set_title(f"loss after epoch {epoch}")
        if self.history:
            axes.legend()
        self._save(figure, f"loss_{tag}.png")

        prediction = _predict(self._call, self._inputs).reshape(len(self.x_data), -1)[:, 0]
        figure = Figure(figsize=(7, 5), layout="constrained")
        top, bottom = figure.subplots(2, 1, sharex=True, height_ratios=[3, 1])
        top.plot(self.x_values, self.y_true, color="black", label="truth")
        top.plot(self.x_values, prediction, label="prediction")
        top.set_title(
            f"truth vs prediction at the end of training ({epoch} epochs; final weights)"
            if final else f"truth vs prediction after epoch {epoch}"
        )
        top.legend()
        bottom.plot(self.x_values, np.abs(prediction - self.y_true), color="tab:red")
        bottom.set_ylabel("|error|")
        bottom.set_xlabel("x")
        self._save(figure, f"prediction_{tag}.png")

    def _save(self, figure, name: str) -> None:
        path = self.folder / name
        with atomic_path(path) as tmp:
            figure.savefig(tmp, format="png", dpi=self.dpi)
        self.written.append(path)
        if self.show:
            try:
                from IPython.display import display
            except ImportError:
                warnings.warn("VisualizationTS(show=True) needs IPython", UserWarning,
                              stacklevel=2)
                self.show = False
            else:
                display(figure)
        figure.clear()


class MeasureTrainTime(tf.keras.callbacks.Callback):
    """Measure training time, time per epoch and prediction time.

    The times are stored in ``model.trained_time`` (a dict with
    ``train_time``, ``epoch_time`` and ``predict_time``, in seconds) when the
    network has one, as degann networks do, and on the callback itself.
    """

    def __init__(self) -> None:
        super().__init__()
        self.train_time = 0.0
        self.epoch_time: list[float] = []
        self.predict_time = 0.0

    def _store(self) -> None:
        target = getattr(self.model, "trained_time", None)
        if target is not None and hasattr(target, "__setitem__"):
            target["train_time"] = self.train_time
            target["epoch_time"] = list(self.epoch_time)
            target["predict_time"] = self.predict_time

    def on_train_begin(self, logs=None):
        self.epoch_time = []
        self._train_start = time.perf_counter()

    def on_epoch_begin(self, epoch, logs=None):
        self._epoch_start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        self.epoch_time.append(time.perf_counter() - self._epoch_start)

    def on_train_end(self, logs=None):
        self.train_time = time.perf_counter() - self._train_start
        self._store()

    def on_predict_begin(self, logs=None):
        self._predict_start = time.perf_counter()

    def on_predict_end(self, logs=None):
        self.predict_time = time.perf_counter() - self._predict_start
        self._store()


class LightHistory(tf.keras.callbacks.Callback):
    """Keep only the last epoch's logs (``last_logs``, ``last_epoch``).

    A light replacement for a full history when training runs for many
    epochs and only the final values matter.
    """

    def __init__(self) -> None:
        super().__init__()
        self.last_logs: dict[str, float] = {}
        self.last_epoch = -1

    def on_epoch_end(self, epoch, logs=None):
        self.last_logs = {key: float(value) for key, value in (logs or {}).items()}
        self.last_epoch = epoch


class MemoryCleaner(tf.keras.callbacks.Callback):
    """Run Python's garbage collector every ``every`` epochs and after training."""

    def __init__(self, every: int = 1) -> None:
        super().__init__()
        self.every = check_int("every", every, minimum=1)

    def on_epoch_end(self, epoch, logs=None):
        if (epoch + 1) % self.every == 0:
            gc.collect()

    def on_train_end(self, logs=None):
        gc.collect()
