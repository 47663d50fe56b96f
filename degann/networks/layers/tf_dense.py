"""DEGANN's dense layer: ``activation(x @ w + b, **decorator_params)``."""

from __future__ import annotations

from typing import Any

import numpy as np
import tensorflow as tf

from degann._validation import check_bool, check_int
from degann.networks import activations

__all__ = ["TensorflowDense"]


class TensorflowDense(tf.keras.layers.Layer):
    """A fully connected layer with a named (possibly parameterised) activation.

    Parameters
    ----------
    input_dim : int
        Number of inputs.
    units : int
        Number of neurons.
    activation_func : str
        Activation name (see :mod:`degann.networks.activations`).
    weight_initializer, bias_initializer : str or tf.keras.initializers.Initializer
        Initializers of the weights ``w`` ``(input_dim, units)`` and biases
        ``b`` ``(units,)``; default random normal, as in DEGANN.
    is_debug : bool
        Adds the activation name to ``str(layer)``.
    decorator_params : dict, optional
        Parameters of the activation, such as ``{"beta": 0.5, "p": 0.1}``
        for ``"parabolic"``.
    **kwargs
        Keras layer arguments (``name``, ...).
    """

    def __init__(
        self,
        input_dim: int = 32,
        units: int = 32,
        activation_func: str = "linear",
        weight_initializer: Any = "random_normal",
        bias_initializer: Any = "random_normal",
        is_debug: bool = False,
        decorator_params: dict | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.input_dim = check_int("input_dim", input_dim, minimum=1)
        self.units = check_int("units", units, minimum=1)
        self.activation_name = activation_func
        self.activation_func = activations.get(activation_func)
        self.decorator_params = activations.check_params(activation_func, decorator_params)
        self._is_debug = check_bool("is_debug", is_debug)
        self.weight_initializer = tf.keras.initializers.get(weight_initializer)
        self.bias_initializer = tf.keras.initializers.get(bias_initializer)
        self.w = self.add_weight(shape=(self.input_dim, self.units),
                                 initializer=self.weight_initializer, name="w", trainable=True)
        self.b = self.add_weight(shape=(self.units,), initializer=self.bias_initializer,
                                 name="b", trainable=True)

    def call(self, inputs):
        z = tf.matmul(inputs, self.w) + self.b
        return self.activation_func(z, **(self.decorator_params or {}))

    @property
    def get_activation(self) -> str:
        """Name of the layer's activation."""
        return self.activation_name

    def __str__(self) -> str:
        text = f"Layer {self.name}\nweights shape = {tuple(self.w.shape)}\n"
        if self._is_debug:
            text += f"activation = {self.activation_name}\n"
        return text

    def to_dict(self) -> dict[str, Any]:
        """Sizes, activation (with parameters), weights and biases as plain data."""
        return {
            "layer_type": type(self).__name__,
            "inp_size": self.input_dim,
            "shape": self.units,
            "activation": self.activation_name,
            "decorator_params": self.decorator_params,
            "dtype": "float32",
            "weights": np.asarray(self.w, dtype=np.float32).tolist(),
            "biases": np.asarray(self.b, dtype=np.float32).tolist(),
        }

    def from_dict(self, config: dict[str, Any], where: str | None = None) -> "TensorflowDense":
        """Load activation, parameters and weights from :meth:`to_dict` output.

        ``where`` names the layer in error messages (default ``layer <name>``).
        """
        from degann.networks.topology.base import config_entry, weight_from_list

        where = where or f"layer {self.name}"
        name = config_entry(config, "activation", where)
        self.activation_func = activations.get(name)
        self.activation_name = name
        self.decorator_params = activations.check_params(name, config.get("decorator_params"))
        self.set_weights([
            weight_from_list(f"{where}.weights", config_entry(config, "weights", where),
                             (self.input_dim, self.units)),
            weight_from_list(f"{where}.biases", config_entry(config, "biases", where),
                             (self.units,)),
        ])
        return self

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.update(input_dim=self.input_dim, units=self.units,
                      activation_func=self.activation_name,
                      decorator_params=self.decorator_params)
        return config
