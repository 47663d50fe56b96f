"""What every topology shares: sizes, names, compiling by names, input checks
and the common part of the ``to_dict`` layout.

A topology is a ``tf.keras.Model`` subclass that also implements:

- ``net_type`` (class attribute): its registry name;
- ``check_inputs(x, name)``: the shape rule for inputs, raising
  :class:`ValueError` before TensorFlow sees a wrong shape;
- ``to_dict()`` / ``from_dict(config)``: every parameter and weight as plain
  JSON-compatible data, and back.
"""

from __future__ import annotations

import functools
import time
from typing import Any, ClassVar, Sequence

import numpy as np
import tensorflow as tf

from degann._validation import (
    check_array,
    check_bool,
    check_int,
    check_int_list,
    check_seed,
)
from degann.networks import losses, metrics, optimizers

__all__ = ["TopologyBase", "derive_seeds", "make_initializer"]


#: Mini-batches run per call of the compiled training step on the fast path.
STEPS_PER_EXECUTION = 16


@functools.lru_cache(maxsize=1)
def has_gpu() -> bool:
    """Whether TensorFlow sees a GPU."""
    return bool(tf.config.list_physical_devices("GPU"))


def derive_seeds(seed: int | None, count: int) -> list[int | None]:
    """``count`` independent seeds derived from ``seed`` (or ``None`` each)."""
    seed = check_seed("seed", seed)
    if seed is None:
        return [None] * count
    children = np.random.SeedSequence(seed).spawn(count)
    return [int(child.generate_state(1)[0] % (2**31 - 1)) for child in children]


def make_initializer(
    spec: Any, default: str, seed: int | None, name: str, shape: tuple[int, ...]
):
    """Build a Keras initializer from a name, an object or ``None``.

    Parameters
    ----------
    spec : str, tf.keras.initializers.Initializer or None
        A Keras initializer name (``"glorot_uniform"``, ``"zeros"``, ...), an
        initializer object (used as given), or ``None`` for ``default``.
    default : str
        Name used when ``spec`` is ``None``.
    seed : int or None
        Seed given to initializers built from a name.
    name : str
        Parameter name for error messages.
    shape : tuple of int
        Shape of the weight it initialises: the initializer is tried on it
        here, so that an unsuitable one (``"identity"`` for a bias) fails
        with a clear message before any layer is built.
    """
    if spec is None:
        spec = default
    if isinstance(spec, str):
        try:
            initializer = tf.keras.initializers.get(spec)
        except ValueError:
            raise ValueError(
                f"{name} must be a Keras initializer name or object, "
                f"got unknown name {spec!r}"
            ) from None
        config = initializer.get_config()
        if seed is not None and "seed" in config:
            config["seed"] = seed
            initializer = type(initializer).from_config(config)
    elif isinstance(spec, tf.keras.initializers.Initializer):
        initializer = spec
    else:
        raise TypeError(
            f"{name} must be a Keras initializer name or object, got "
            f"{type(spec).__name__}"
        )
    try:
        values = initializer(shape, dtype="float32")
    except (ValueError, TypeError) as error:
        raise ValueError(
            f"{name} {spec!r} cannot initialise a weight of shape {shape}: {error}"
        ) from None
    if not np.all(np.isfinite(np.asarray(values))):
        raise ValueError(f"{name} {spec!r} gives NaN or infinite initial weights")
    return initializer


class TopologyBase(tf.keras.Model):
    """Base class of the network topologies.

    Parameters
    ----------
    input_size : int
        Number of input features (per time step for recurrent networks).
    block_size : list of int
        Widths of the hidden layers.
    output_size : int
        Number of outputs.
    name : str
        Network name.
    seed : int, optional
        Seed of everything random in the network: initial weights, dropout
        and the order of mini-batches in training (see :meth:`next_shuffle_seed`).
    fast_path : bool
        On a machine without a GPU, compile training with XLA and run
        :data:`STEPS_PER_EXECUTION` mini-batches per call (measured by
        ``benchmarks/gru_train_speed.py``); the updates are the same, only
        their order of floating-point operations may differ, and Dropout
        draws its masks differently under XLA (each path is repeatable on its
        own; without dropout both give the same numbers). With a GPU, or
        when false, Keras' defaults are used (cuDNN for GRU layers).
    """

    net_type: ClassVar[str] = ""

    def __init__(
        self,
        input_size: int,
        block_size: Sequence[int],
        output_size: int,
        name: str = "net",
        seed: int | None = None,
        fast_path: bool = True,
    ) -> None:
        if not isinstance(name, str) or not name or "/" in name:
            raise ValueError(f"name must be a non-empty string without '/', got {name!r}")
        super().__init__(name=name)
        self.seed = check_seed("seed", seed)
        self.fast_path = check_bool("fast_path", fast_path)
        self._shuffle_count = 0
        self._input_size = check_int("input_size", input_size, minimum=1)
        self._block_size = tuple(check_int_list("block_size", block_size, minimum=1))
        self._output_size = check_int("output_size", output_size, minimum=1)
        self.trained_time = {"train_time": 0.0, "epoch_time": [], "predict_time": 0.0}

    # -- sizes -------------------------------------------------------------
    @property
    def input_size(self) -> int:
        """Number of input features."""
        return self._input_size

    @property
    def block_size(self) -> list[int]:
        """Widths of the hidden layers."""
        return list(self._block_size)

    @property
    def output_size(self) -> int:
        """Number of outputs."""
        return self._output_size

    def next_shuffle_seed(self) -> int | None:
        """Seed of the mini-batch order for the next training call.

        ``None`` when the network has no seed. Otherwise each call gives the
        next of a fixed sequence derived from ``seed``, so that a network
        trained twice sees different orders, yet the whole history repeats.
        """
        if self.seed is None:
            return None
        sequence = np.random.SeedSequence([self.seed, 0x5EED, self._shuffle_count])
        self._shuffle_count += 1
        return int(sequence.generate_state(1)[0] % (2**31 - 1))

    # -- compiling ---------------------------------------------------------
    def custom_compile(
        self,
        rate: float = 1e-2,
        optimizer: str = "SGD",
        loss_func: str = "MeanSquaredError",
        metric_funcs: Sequence[str] | None = None,
        run_eagerly: bool = False,
        jit_compile: bool | str = "auto",
    ) -> None:
        """Compile the network with an optimizer, a loss and metrics given by name.

        Parameters
        ----------
        rate : float
            Learning rate.
        optimizer : str
            Keras optimizer class name.
        loss_func : str
            Keras loss class name.
        metric_funcs : list of str, optional
            Metric class names; ``None`` gives
            :data:`degann.networks.metrics.DEFAULT_METRICS`.
        run_eagerly : bool
            Run training step by step in Python (for debugging).
        jit_compile : bool or "auto"
            XLA compilation; ``"auto"`` follows ``fast_path``.
        """
        if metric_funcs is None:
            metric_funcs = metrics.DEFAULT_METRICS
        if isinstance(metric_funcs, str):
            metric_funcs = [metric_funcs]
        if not isinstance(metric_funcs, (list, tuple)):
            raise TypeError(
                "metrics must be a list of metric names, got "
                f"{type(metric_funcs).__name__}"
            )
        run_eagerly = check_bool("run_eagerly", run_eagerly)
        steps_per_execution = 1
        if jit_compile == "auto" and self.fast_path and not run_eagerly and not has_gpu():
            jit_compile, steps_per_execution = True, STEPS_PER_EXECUTION
        self.compile(
            optimizer=optimizers.get_optimizer(optimizer, rate),
            loss=losses.get_loss(loss_func),
            metrics=[metrics.get_metric(m) for m in metric_funcs],
            run_eagerly=run_eagerly,
            jit_compile=jit_compile,
            steps_per_execution=steps_per_execution,
        )

    # -- shapes ------------------------------------------------------------
    def check_inputs(self, x: Any, name: str = "x_data") -> np.ndarray:
        """Return ``x`` as a float32 array of the accepted input shape."""
        raise NotImplementedError

    def check_targets(self, y: Any, n_samples: int, name: str = "y_data",
                      time_steps: int | None = None) -> np.ndarray:
        """Return ``y`` as a float32 ``(n_samples, output_size)`` array.

        A 1-D array is accepted when ``output_size == 1``. ``time_steps`` is
        the inputs' window length, used by topologies that predict per step.
        """
        y = check_array(name, y, dtype=np.float32)
        given = y.shape
        if y.ndim == 1 and self.output_size == 1:
            y = y[:, None]
        if y.ndim != 2 or y.shape[1] != self.output_size:
            raise ValueError(
                f"{name} must have shape (batch, {self.output_size})"
                + (" or (batch,)" if self.output_size == 1 else "")
                + f", got shape {given}"
            )
        if len(y) != n_samples:
            raise ValueError(
                f"{name} has {len(y)} samples but the inputs have {n_samples}"
            )
        return y

    def _build_weights(self, dummy_shape: tuple[int, ...]) -> None:
        """Create the weights by calling the network once on zeros."""
        try:
            self(np.zeros(dummy_shape, dtype=np.float32))
        except (ValueError, TypeError) as error:
            raise ValueError(
                f"cannot build {self.net_type} with these initializers or "
                f"settings: {error}"
            ) from None

    def inference(self, x) -> tf.Tensor:
        """Forward pass in inference mode through a compiled graph.

        Keras runs recurrent layers called eagerly step by step in Python
        (about 200 ms for one window of the report's 5 x 30 GRU on a laptop
        CPU); the same pass traced once as a ``tf.function`` takes a few
        milliseconds. The function is traced on first use and reused for any
        batch size.
        """
        function = self.__dict__.get("_inference_function")
        if function is None:
            function = tf.function(lambda inputs: self(inputs, training=False),
                                   reduce_retracing=True)
            object.__setattr__(self, "_inference_function", function)
        return function(tf.convert_to_tensor(x, dtype=tf.float32))

    def _timed_predict(self, x: np.ndarray, callbacks: list | None = None) -> np.ndarray:
        """Predictions in chunks; Keras' ``predict`` only when callbacks are given.

        The compiled :meth:`inference` avoids building (and, for every new
        network or input size, rebuilding) Keras' predict function, which
        costs more than the forward pass for the sizes used here.
        """
        start = time.perf_counter()
        if callbacks:
            result = self.predict(x, verbose=0, callbacks=callbacks)
        else:
            chunk = 8192
            result = np.concatenate([
                np.asarray(self.inference(x[i : i + chunk]))
                for i in range(0, len(x), chunk)
            ])
        from degann.networks.callbacks import MeasureTrainTime

        if not any(isinstance(c, MeasureTrainTime) for c in callbacks or []):
            self.trained_time["predict_time"] = time.perf_counter() - start
        return result

    # -- serialization -----------------------------------------------------
    def _common_dict(self) -> dict[str, Any]:
        return {
            "net_type": self.net_type,
            "name": self.name,
            "input_size": self.input_size,
            "block_size": self.block_size,
            "output_size": self.output_size,
            "seed": self.seed,
            "fast_path": self.fast_path,
        }

    def to_dict(self) -> dict[str, Any]:
        """Every parameter and weight as JSON-compatible data."""
        raise NotImplementedError

    @classmethod
    def from_dict(cls, config: dict[str, Any]) -> "TopologyBase":
        """Build a network from the output of :meth:`to_dict`."""
        raise NotImplementedError

    @classmethod
    def _check_config(cls, config: Any, keys: Sequence[str]) -> None:
        if not isinstance(config, dict):
            raise TypeError(f"config must be a dict, got {type(config).__name__}")
        if config.get("net_type") != cls.net_type:
            raise ValueError(
                f"config describes net_type {config.get('net_type')!r}, "
                f"expected {cls.net_type!r}"
            )
        missing = [key for key in keys if key not in config]
        if missing:
            raise ValueError(f"config is missing key(s) {missing} for {cls.net_type}")


def config_entry(entry: Any, key: str, where: str) -> Any:
    """``entry[key]`` of a layer description, or a ``ValueError`` naming ``where``."""
    if not isinstance(entry, dict):
        raise ValueError(
            f"{where} must be a dict of weights, got {type(entry).__name__}"
        )
    if key not in entry:
        raise ValueError(f"{where} is missing key {key!r}")
    return entry[key]


def weight_to_list(weight: Any) -> list:
    """A weight tensor as nested lists of Python floats (exact for float32)."""
    return np.asarray(weight, dtype=np.float32).tolist()


def weight_from_list(name: str, value: Any, shape: tuple[int, ...]) -> np.ndarray:
    """Nested lists back to a float32 array, checking the expected shape."""
    array = check_array(name, value, dtype=np.float32, allow_empty=True)
    if array.shape != tuple(shape):
        raise ValueError(
            f"{name} has shape {array.shape}, expected {tuple(shape)} "
            "from the network's sizes"
        )
    return array
