"""``IModel``: the one facade that builds, trains and evaluates every network."""

from __future__ import annotations

import functools
import inspect
import os
import shutil
from typing import Any, Sequence

import numpy as np
import tensorflow as tf

from degann._validation import check_bool, check_choice, check_float, check_int, check_verbose
from degann.networks import serialization
from degann.networks.callbacks import MeasureTrainTime
from degann.networks.topology import get_topology

__all__ = ["IModel"]


def _check_topology_kwargs(topology: type, net_type: str, kwargs: dict) -> None:
    """Refuse keyword arguments the topology does not take, listing those it does."""
    own = ("input_size", "block_size", "output_size", "activation_func", "weight",
           "biases", "name", "self")
    accepted = [p for p in inspect.signature(topology.__init__).parameters if p not in own]
    unknown = sorted(set(kwargs) - set(accepted))
    if unknown:
        raise TypeError(
            f"unknown keyword argument(s) {unknown} for net_type {net_type!r}; "
            f"it accepts {accepted}"
        )


class _instance_or_class:
    """Method that runs on an instance, or on a new, empty one when called on the class."""

    def __init__(self, func):
        self.func = func
        functools.update_wrapper(self, func)

    def __get__(self, obj, cls):
        if obj is None:
            @functools.wraps(self.func)
            def on_new(*args, **kwargs):
                model = cls.__new__(cls)
                model.network = None
                model._net_type = None
                model._is_debug = False
                model._compiled = False
                return self.func(model, *args, **kwargs)

            return on_new
        return functools.partial(self.func, obj)

    def __call__(self, obj, *args, **kwargs):
        return self.func(obj, *args, **kwargs)


def _shuffled_batches(x: np.ndarray, y: np.ndarray, batch_size: int, seed: int):
    """Mini-batches in an order reshuffled every epoch, repeatable from ``seed``."""
    if len(x) == 0:
        raise ValueError("no training samples are left after validation_split")
    dataset = tf.data.Dataset.from_tensor_slices((x, y))
    dataset = dataset.shuffle(len(x), seed=seed, reshuffle_each_iteration=True)
    return dataset.batch(batch_size).prefetch(tf.data.AUTOTUNE)


def _check_callbacks(callbacks: Any) -> list | None:
    """``None`` or a list of Keras callbacks."""
    if callbacks is None:
        return None
    if not isinstance(callbacks, (list, tuple)) or not all(
        isinstance(c, tf.keras.callbacks.Callback) for c in callbacks
    ):
        raise TypeError(
            "callbacks must be a list of tf.keras.callbacks.Callback objects, got "
            f"{callbacks!r:.80}"
        )
    return list(callbacks)


class IModel:
    """A neural network of any registered type behind DEGANN's interface.

    Parameters
    ----------
    input_size : int
        Number of inputs (features per time step for ``"GRUNet"``).
    block_size : list of int
        Widths of the hidden layers.
    output_size : int
        Number of outputs.
    activation_func : str or list of str
        Activation of the dense layers (``"DenseNet"``): one name for all
        layers or one per layer, output included. ``"GRUNet"`` uses
        ``activation``/``recurrent_activation`` keyword arguments instead.
    weight_init, bias_init : str or tf.keras.initializers.Initializer, optional
        Initializers of kernels and biases; ``None`` uses the topology's
        default.
    name : str
        Network name.
    net_type : str
        Registered network type: ``"DenseNet"`` or ``"GRUNet"``.
    is_debug : bool
        Write a CSV log of every training epoch to :attr:`debug_log_path`
        (``<name>_training_log.csv`` in the current folder by default).
    **kwargs
        Further arguments of the topology (for ``"GRUNet"``:
        ``dropout_rate``, ``activation``, ``recurrent_activation``,
        ``reset_after``; for both: ``seed``).

    Examples
    --------
    >>> from degann import IModel
    >>> net = IModel(2, [30] * 5, 1, net_type="GRUNet", seed=0)   # doctest: +SKIP
    >>> net.compile(rate=1e-3, optimizer="Adam")                   # doctest: +SKIP
    """

    def __init__(
        self,
        input_size: int,
        block_size: Sequence[int],
        output_size: int,
        activation_func: str | Sequence[str] = "sigmoid",
        weight_init: Any = None,
        bias_init: Any = None,
        name: str = "net",
        net_type: str = "DenseNet",
        is_debug: bool = False,
        **kwargs: Any,
    ) -> None:
        topology = get_topology(net_type)
        _check_topology_kwargs(topology, net_type, kwargs)
        self.network = topology(
            input_size=input_size,
            block_size=block_size,
            output_size=output_size,
            activation_func=activation_func,
            weight=weight_init,
            biases=bias_init,
            name=name,
            **kwargs,
        )
        self._net_type = net_type
        self._is_debug = check_bool("is_debug", is_debug)
        self.debug_log_path = f"{name}_training_log.csv"
        self._compiled = False

    # -- training ----------------------------------------------------------
    def compile(
        self,
        rate: float = 1e-2,
        optimizer: str = "SGD",
        loss_func: str = "MeanSquaredError",
        metrics: Sequence[str] | None = None,
        run_eagerly: bool = False,
    ) -> None:
        """Choose the optimizer, loss and metrics by Keras class name.

        Parameters
        ----------
        rate : float
            Learning rate.
        optimizer : str
            For example ``"Adam"`` or ``"SGD"``.
        loss_func : str
            For example ``"MeanSquaredError"``.
        metrics : list of str, optional
            Metric names; ``None`` gives MSE, MAE and MSLE.
        run_eagerly : bool
            Run training step by step in Python (for debugging).
        """
        self.network.custom_compile(
            rate=rate,
            optimizer=optimizer,
            loss_func=loss_func,
            metric_funcs=metrics,
            run_eagerly=run_eagerly,
        )
        self._compiled = True

    def _require_compiled(self, method: str) -> None:
        if not self._compiled:
            raise RuntimeError(f"call compile() before {method}()")

    def _check_pair(self, x: Any, y: Any, x_name: str, y_name: str):
        x = self.network.check_inputs(x, x_name)
        steps = x.shape[1] if x.ndim == 3 else None
        return x, self.network.check_targets(y, len(x), y_name, time_steps=steps)

    def train(
        self,
        x_data: Any,
        y_data: Any,
        validation_split: float = 0.0,
        validation_data: tuple[Any, Any] | None = None,
        epochs: int = 10,
        mini_batch_size: int | None = None,
        callbacks: list | None = None,
        verbose: str | int = "auto",
    ) -> tf.keras.callbacks.History:
        """Train the network and return the Keras ``History``.

        Parameters
        ----------
        x_data, y_data : array_like
            Inputs and targets.
        validation_split : float
            Share of the data held out for validation (taken from the end).
        validation_data : (inputs, targets), optional
            Separate validation data; overrides ``validation_split``.
        epochs : int
            Number of passes over the data, ``>= 1``.
        mini_batch_size : int, optional
            Batch size (32 when ``None``, as in Keras).
        callbacks : list of tf.keras.callbacks.Callback, optional
            Callbacks called during training.
        verbose : "auto", 0, 1 or 2
            Keras verbosity.

        Returns
        -------
        tf.keras.callbacks.History

        Notes
        -----
        When the network was built with a ``seed``, the mini-batch shuffle is
        seeded from it too, so the same script gives the same history (the
        shuffle also depends on TensorFlow's global seed, if one is set). The
        wall time of training and of every epoch is stored in
        ``self.network.trained_time``.
        """
        self._require_compiled("train")
        x, y = self._check_pair(x_data, y_data, "x_data", "y_data")
        epochs = check_int("epochs", epochs, minimum=1)
        if mini_batch_size is not None:
            mini_batch_size = check_int("mini_batch_size", mini_batch_size, minimum=1)
        validation_split = check_float(
            "validation_split", validation_split, minimum=0.0, maximum=1.0,
            max_inclusive=False,
        )
        callbacks = _check_callbacks(callbacks)
        verbose = check_verbose("verbose", verbose)
        if validation_data is not None:
            if not isinstance(validation_data, (tuple, list)) or len(validation_data) != 2:
                raise TypeError("validation_data must be a pair (inputs, targets)")
            validation_data = self._check_pair(
                validation_data[0], validation_data[1],
                "validation_data[0]", "validation_data[1]",
            )
        callbacks = list(callbacks or [])
        if not any(isinstance(c, MeasureTrainTime) for c in callbacks):
            callbacks.append(MeasureTrainTime())
        if self._is_debug:
            callbacks.append(tf.keras.callbacks.CSVLogger(self.debug_log_path, append=True))
        shuffle_seed = self.network.next_shuffle_seed()
        if shuffle_seed is None:
            history = self.network.fit(
                x, y, validation_split=validation_split, validation_data=validation_data,
                epochs=epochs, batch_size=mini_batch_size, callbacks=callbacks,
                verbose=verbose,
            )
        else:
            if validation_data is None and validation_split > 0:
                # As Keras does: the last fraction of the samples, before shuffling.
                n_train = int(len(x) * (1.0 - validation_split))
                validation_data = (x[n_train:], y[n_train:])
                x, y = x[:n_train], y[:n_train]
            history = self.network.fit(
                _shuffled_batches(x, y, mini_batch_size or 32, shuffle_seed),
                validation_data=validation_data, epochs=epochs, callbacks=callbacks,
                verbose=verbose, shuffle=False,
            )
        return history

    def evaluate(
        self,
        x_data: Any,
        y_data: Any,
        batch_size: int | None = None,
        callbacks: list | None = None,
        verbose: str | int = "auto",
        **kwargs: Any,
    ):
        """Loss (and metrics) of the network on the given data (Keras ``evaluate``)."""
        self._require_compiled("evaluate")
        x, y = self._check_pair(x_data, y_data, "x_data", "y_data")
        if batch_size is not None:
            batch_size = check_int("batch_size", batch_size, minimum=1)
        callbacks = _check_callbacks(callbacks)
        verbose = check_verbose("verbose", verbose)
        return self.network.evaluate(
            x, y, batch_size=batch_size, callbacks=callbacks, verbose=verbose, **kwargs
        )

    def predict(self, inputs: Any, callbacks: list | None = None) -> np.ndarray:
        """Predictions for a batch of inputs, as a NumPy array."""
        x = self.network.check_inputs(inputs, "inputs")
        return self.network._timed_predict(x, callbacks=_check_callbacks(callbacks))

    def feedforward(self, inputs: Any) -> tf.Tensor:
        """One forward pass on all inputs at once (no batching); a tensor."""
        x = self.network.check_inputs(inputs, "inputs")
        return self.network.inference(x)

    # -- description -------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """The network's type, sizes, settings and weights as plain data."""
        return self.network.to_dict()

    @_instance_or_class
    def from_dict(self, config: dict[str, Any], **kwargs: Any) -> "IModel":
        """Replace the network by the one described in ``config``.

        Works on an instance (DEGANN's way: ``net.from_dict(config)``) and on
        the class (``IModel.from_dict(config)`` builds a new IModel); returns
        the IModel either way. The network must be compiled again before
        training.
        """
        if not isinstance(config, dict):
            raise TypeError(f"config must be a dict, got {type(config).__name__}")
        try:
            topology = get_topology(config.get("net_type"))
            self.network = topology.from_dict(config)
        except TypeError as error:
            raise ValueError(f"config does not describe a valid network: {error}") from None
        self._net_type = config["net_type"]
        self._compiled = False
        return self

    def export_to_file(self, path: str) -> None:
        """Save the network to ``path + ".apg"`` (header, then ``to_dict()`` JSON).

        The file is written atomically: an interrupted write leaves any
        previous file intact.
        """
        serialization.write_apg(path, self.to_dict())

    def export_to_cpp(
        self,
        path: str,
        array_type: str = "[]",
        path_to_compiler: str | None = None,
        vectorized_level: str = "none",
        **kwargs: Any,
    ) -> list:
        """Write the network as dependency-free C++: ``path.cpp`` and ``path.hpp``.

        Parameters
        ----------
        path : str
            File path without extension; the C++ namespace and include guard
            are derived from its name (any characters are made safe).
        array_type : {"[]", "vector"}
            ``float* feedforward(float x_array[])`` or
            ``std::vector<float> feedforward(std::vector<float> x)``.
        path_to_compiler : str, optional
            If given (``"g++"``, a path, ...), compile ``path.cpp`` into the
            object file ``path.o`` (``-std=c++17 -Wall -Wextra``).
        vectorized_level : {"none", "auto", "sse", "avx", "avx512f"}
            Instruction set the compiler may use (see
            :func:`degann.networks.cpp_utils.get_available_vectorized_levels`).
        **kwargs
            ``time_steps`` for a GRUNet whose window length is free;
            ``function_name`` to rename ``feedforward``.

        Returns
        -------
        list of pathlib.Path
            The files written (``.cpp``, ``.hpp`` and, when compiled, ``.o``).

        See :mod:`degann.networks.cpp_export` for the generated interface,
        including GRUNet's streaming ``GRUState``.
        """
        from degann.networks import cpp_export, cpp_utils

        check_choice("vectorized_level", vectorized_level, cpp_utils.VECTORIZED_LEVELS)
        unknown = sorted(set(kwargs) - {"time_steps", "function_name"})
        if unknown:
            raise TypeError(f"unknown keyword argument(s) {unknown} for export_to_cpp")
        if path_to_compiler is not None and shutil.which(os.fspath(path_to_compiler)) is None:
            raise ValueError(f"path_to_compiler: compiler {path_to_compiler!r} not found")
        cpp, hpp = cpp_export.write_cpp(self.to_dict(), path, array_type, **kwargs)
        written = [cpp, hpp]
        if path_to_compiler is not None:
            written.append(cpp_utils.compile_cpp([cpp], f"{path}.o", path_to_compiler,
                                                 vectorized_level, object_only=True))
        return written

    @_instance_or_class
    def from_file(self, path: str, **kwargs: Any) -> "IModel":
        """Replace the network by the one saved in ``path + ".apg"``.

        Like :meth:`from_dict`, works on an instance or on the class and
        returns the IModel.

        Raises
        ------
        ValueError
            If the file is malformed or describes an inconsistent network.
        """
        return self.from_dict(serialization.read_apg(path), **kwargs)

    @classmethod
    def create_neuron(
        cls,
        input_size: int,
        output_size: int,
        shape: Sequence[int],
        activation: str | Sequence[str] = "sigmoid",
        weight: Any = None,
        biases: Any = None,
        decorator_params: Any = None,
        **kwargs: Any,
    ) -> "IModel":
        """Build a dense network (DEGANN's shortcut).

        Parameters
        ----------
        input_size, output_size : int
            Numbers of inputs and outputs.
        shape : list of int
            Widths of the hidden layers.
        activation : str or list of str
            Activation(s), as ``activation_func`` of :class:`IModel`.
        weight, biases : initializer, optional
            Initializers of weights and biases.
        decorator_params : dict or list, optional
            Parameters of the activations.
        **kwargs
            Further :class:`IModel` arguments (``name``, ``net_type``, ...).
        """
        if decorator_params is not None:
            kwargs["decorator_params"] = decorator_params
        return cls(input_size, shape, output_size, activation_func=activation,
                   weight_init=weight, bias_init=biases, **kwargs)

    def set_name(self, name: str) -> None:
        """Rename the network."""
        if not isinstance(name, str) or not name or "/" in name:
            raise ValueError(f"name must be a non-empty string without '/', got {name!r}")
        self.network.name = name

    @property
    def net_type(self) -> str:
        """Registered type of the network."""
        return self._net_type

    @property
    def get_name(self) -> str:
        """The network's name."""
        return self.network.name

    @property
    def get_shape(self) -> list[int]:
        """Widths of the hidden layers."""
        return self.network.block_size

    @property
    def get_input_size(self) -> int:
        """Number of inputs (per time step for GRUNet)."""
        return self.network.input_size

    @property
    def get_output_size(self) -> int:
        """Number of outputs."""
        return self.network.output_size

    @property
    def get_activations(self) -> list[str]:
        """Activation names of the network's layers."""
        return self.network.activations

    def count_params(self) -> int:
        """Number of trainable and non-trainable parameters."""
        return int(self.network.count_params())

    def __str__(self) -> str:
        return (
            f"IModel({self._net_type} {self.get_name!r}: input {self.get_input_size}, "
            f"hidden {self.get_shape}, output {self.get_output_size}, "
            f"{self.count_params()} parameters)"
        )
