"""Fully connected networks (``net_type="DenseNet"``)."""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np
import tensorflow as tf

from degann._validation import check_array
from degann.networks import activations
from degann.networks.topology.base import (
    TopologyBase,
    config_entry,
    derive_seeds,
    make_initializer,
)
from degann.networks.layers.tf_dense import TensorflowDense

__all__ = ["TensorflowDenseNet"]


@tf.keras.utils.register_keras_serializable(package="degann")
class TensorflowDenseNet(TopologyBase):
    """A stack of dense layers followed by a dense output layer.

    Parameters
    ----------
    input_size : int
        Number of inputs.
    block_size : list of int
        Widths of the hidden layers; may be empty (inputs wired straight to
        the output layer).
    activation_func : str or list of str
        One activation name for every layer, output included (DEGANN's
        convention), or one name per layer: the hidden layers, then the
        output layer.
    weight, biases : str or tf.keras.initializers.Initializer, optional
        Initializers of the kernels and biases; default ``"random_normal"``
        for both, as in DEGANN.
    output_size : int
        Number of outputs.
    name : str
        Network name.
    seed : int, optional
        Seed of the initializers built from names and of the mini-batch order.
    decorator_params : dict or list of (dict or None), optional
        Parameters of the activations (DEGANN's name): one dict for every
        layer, or one entry per layer (hidden layers, then output), such as
        ``{"beta": 0.5, "p": 0.1}`` for ``"parabolic"``.
    fast_path : bool
        XLA-compiled training on machines without a GPU (see
        :class:`~degann.networks.topology.base.TopologyBase`).

    Notes
    -----
    Inputs have shape ``(batch, input_size)``; ``(batch,)`` is accepted when
    ``input_size == 1``.
    """

    net_type = "DenseNet"

    def __init__(
        self,
        input_size: int = 2,
        block_size: Sequence[int] | None = None,
        activation_func: str | Sequence[str] = "sigmoid",
        weight: Any = None,
        biases: Any = None,
        output_size: int = 1,
        name: str = "net",
        seed: int | None = None,
        fast_path: bool = True,
        decorator_params: dict | Sequence[dict | None] | None = None,
    ) -> None:
        super().__init__(
            input_size, [] if block_size is None else block_size, output_size,
            name=name, seed=seed, fast_path=fast_path,
        )
        n_layers = len(self.block_size) + 1
        self._activations = self._activation_names(activation_func, n_layers)
        params = self._layer_params(decorator_params, n_layers)
        kernel_seeds = derive_seeds(seed, 2 * n_layers)
        widths = self.block_size + [self.output_size]
        fan_in = [self.input_size] + self.block_size
        self.dense_layers = [
            TensorflowDense(
                n_in,
                units,
                act,
                make_initializer(
                    weight, "random_normal", kernel_seeds[2 * i], "weight", (n_in, units)),
                make_initializer(
                    biases, "random_normal", kernel_seeds[2 * i + 1], "biases", (units,)),
                decorator_params=activations.check_params(act, layer_params),
                name=f"dense_{i}",
            )
            for i, (units, act, n_in, layer_params) in enumerate(
                zip(widths, self._activations, fan_in, params))
        ]
        self._build_weights((1, self.input_size))

    @staticmethod
    def _layer_params(decorator_params: Any, n_layers: int) -> list:
        if decorator_params is None or isinstance(decorator_params, dict):
            return [decorator_params] * n_layers
        if isinstance(decorator_params, (list, tuple)):
            if len(decorator_params) != n_layers:
                raise ValueError(
                    f"decorator_params has {len(decorator_params)} entries, expected "
                    f"{n_layers} (one dict or None per layer, hidden layers then output)"
                )
            return list(decorator_params)
        raise TypeError(
            "decorator_params must be a dict, a list of dicts/None or None, got "
            f"{type(decorator_params).__name__}"
        )

    @staticmethod
    def _activation_names(activation_func: Any, n_layers: int) -> list[str]:
        if isinstance(activation_func, str):
            names = [activation_func] * n_layers
        elif isinstance(activation_func, Sequence):
            names = list(activation_func)
            if len(names) != n_layers:
                raise ValueError(
                    f"activation_func has {len(names)} names, expected "
                    f"{n_layers} (one per hidden layer, then the output layer)"
                )
        else:
            raise TypeError(
                "activation_func must be a name or a list of names, got "
                f"{type(activation_func).__name__}"
            )
        for name in names:
            activations.get(name)
        return names

    def call(self, inputs, training=False):
        x = inputs
        for layer in self.dense_layers:
            x = layer(x)
        return x

    def get_config(self) -> dict[str, Any]:
        """Constructor arguments, for Keras' ``.keras`` files (weights are separate)."""
        return {
            "input_size": self.input_size, "block_size": self.block_size,
            "activation_func": self.activations, "output_size": self.output_size,
            "name": self.name, "seed": self.seed, "fast_path": self.fast_path,
            "decorator_params": [layer.decorator_params for layer in self.dense_layers],
        }

    @property
    def activations(self) -> list[str]:
        """Activation name of each layer (hidden layers, then output)."""
        return list(self._activations)

    def check_inputs(self, x: Any, name: str = "x_data") -> np.ndarray:
        """Return ``x`` as float32 ``(batch, input_size)``.

        ``(batch,)`` is accepted when ``input_size == 1``.
        """
        x = check_array(name, x, dtype=np.float32)
        given = x.shape
        if x.ndim == 1 and self.input_size == 1:
            x = x[:, None]
        if x.ndim != 2 or x.shape[1] != self.input_size:
            raise ValueError(
                f"{name} must have shape (batch, {self.input_size}) for this "
                f"DenseNet, got shape {given}"
            )
        return x

    def to_dict(self) -> dict[str, Any]:
        """Sizes, activations and every layer.

        ``layers[i]`` is the layer's ``TensorflowDense.to_dict()``:
        ``weights`` of shape ``(inp_size, shape)``, ``biases`` of shape
        ``(shape,)``, ``activation`` and its ``decorator_params``; the last
        entry is the output layer.
        """
        config = self._common_dict()
        config["activations"] = self.activations
        config["layers"] = [layer.to_dict() for layer in self.dense_layers]
        return config

    @classmethod
    def from_dict(cls, config: dict[str, Any]) -> "TensorflowDenseNet":
        """Build a network from :meth:`to_dict` output, weights included."""
        cls._check_config(
            config,
            ["input_size", "block_size", "output_size", "activations", "layers"],
        )
        layers = config["layers"]
        n_layers = len(config["block_size"]) + 1 if isinstance(
            config["block_size"], list) else None
        if not isinstance(layers, list) or len(layers) != n_layers:
            raise ValueError(f"config['layers'] must list {n_layers} layers")
        params = [config_entry(entry, "decorator_params", f"layers[{i}]")
                  if isinstance(entry, dict) and "decorator_params" in entry else None
                  for i, entry in enumerate(layers)]
        net = cls(
            input_size=config["input_size"],
            block_size=config["block_size"],
            output_size=config["output_size"],
            activation_func=config["activations"],
            name=config.get("name", "net"),
            seed=config.get("seed"),
            fast_path=config.get("fast_path", True),
            decorator_params=params,
        )
        for i, (layer, entry) in enumerate(zip(net.dense_layers, layers)):
            if not isinstance(entry, dict):
                raise ValueError(f"layers[{i}] must be a dict of weights, got "
                                 f"{type(entry).__name__}")
            layer.from_dict(entry, where=f"layers[{i}]")
        return net
