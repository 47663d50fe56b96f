"""Recurrent networks of Gated Recurrent Units (``net_type="GRUNet"``).

One GRU step, with update gate ``z``, reset gate ``r`` and candidate ``h~``::

    z_t  = recurrent_activation(x_t W_z + h_{t-1} U_z + b_z)
    r_t  = recurrent_activation(x_t W_r + h_{t-1} U_r + b_r)
    h~_t = activation(x_t W_h + r_t * (h_{t-1} U_h + b'_h) + b_h)   # reset_after=True
    h~_t = activation(x_t W_h + (r_t * h_{t-1}) U_h + b_h)          # reset_after=False
    h_t  = z_t * h_{t-1} + (1 - z_t) * h~_t

``reset_after=False`` is exactly the variant of the equations in DEGANN's
report; ``reset_after=True`` (the default) applies the reset gate after the
recurrent product, which is Keras' default and the variant cuDNN runs on a
GPU. The layers keep Keras' defaults that allow the cuDNN path (``tanh``,
``sigmoid``, no recurrent dropout, ``unroll=False``).
"""

from __future__ import annotations

import warnings
from typing import Any, Sequence

import numpy as np
import tensorflow as tf

from degann._validation import check_array, check_bool, check_float, check_int
from degann.networks import activations
from degann.networks.topology.base import (
    TopologyBase,
    config_entry,
    derive_seeds,
    make_initializer,
    weight_from_list,
    weight_to_list,
)

__all__ = ["GATE_ORDER", "TensorflowGRUNet"]

#: Order of the gates in the columns of every GRU kernel and bias:
#: update ``z``, reset ``r``, candidate ``h~`` (Keras' order).
GATE_ORDER = ["z", "r", "h"]


@tf.keras.utils.register_keras_serializable(package="degann")
class TensorflowGRUNet(TopologyBase):
    """A stack of GRU layers, each followed by Dropout, then a dense output.

    Parameters
    ----------
    input_size : int
        Features per time step.
    block_size : list of int
        Widths of the GRU layers (the report uses equal widths, such as
        ``[30] * 5``; unequal widths are allowed).
    output_size : int
        Number of outputs.
    dropout_rate : float
        Rate of the ``Dropout`` layer after each GRU layer, in ``[0, 1)``;
        active in training only, ``0`` (default) adds no Dropout layers.
    activation : str
        Activation of the candidate state (default ``"tanh"``).
    recurrent_activation : str
        Activation of the gates (default ``"sigmoid"``).
    reset_after : bool
        Where the reset gate is applied (see the module documentation):
        ``True`` (default) is Keras' and cuDNN's variant, ``False`` the
        report's equations.
    return_sequences : bool
        ``False`` (default): one prediction, after the last time step, of
        shape ``(batch, output_size)``. ``True``: a prediction after every
        step, of shape ``(batch, time_steps, output_size)``.
    time_steps : int, optional
        Fixed window length, checked on every input; ``None`` (default)
        accepts any length.
    weight, biases : str or tf.keras.initializers.Initializer, optional
        Initializers of the input kernels (and of the output layer's kernel)
        and of all biases; defaults ``"glorot_uniform"`` and ``"zeros"``.
        Recurrent kernels are initialised orthogonally.
    name : str
        Network name.
    seed : int, optional
        Seed of the initializers, of Dropout and of the mini-batch order.
    fast_path : bool
        XLA-compiled training on machines without a GPU (see
        :class:`~degann.networks.topology.base.TopologyBase`); the layers
        keep the settings under which Keras uses cuDNN on a GPU.
    activation_func : str, optional
        DEGANN's dense-network argument, accepted so that the same
        ``IModel`` call works for every ``net_type``. GRU layers take
        ``activation`` and ``recurrent_activation`` instead and the output
        layer is linear; a value other than DEGANN's default ``"sigmoid"``
        raises a warning because it has no effect.

    Notes
    -----
    Inputs have shape ``(batch, time_steps, input_size)``; ``(batch,
    time_steps)`` is accepted when ``input_size == 1``.
    """

    net_type = "GRUNet"

    def __init__(
        self,
        input_size: int = 1,
        block_size: Sequence[int] = (30,),
        output_size: int = 1,
        dropout_rate: float = 0.0,
        activation: str = "tanh",
        recurrent_activation: str = "sigmoid",
        reset_after: bool = True,
        return_sequences: bool = False,
        time_steps: int | None = None,
        weight: Any = None,
        biases: Any = None,
        name: str = "gru_net",
        seed: int | None = None,
        fast_path: bool = True,
        activation_func: Any = None,
    ) -> None:
        super().__init__(input_size, block_size, output_size, name=name, seed=seed,
                         fast_path=fast_path)
        if not self.block_size:
            raise ValueError("block_size must list at least one GRU layer width")
        if activation_func not in (None, "sigmoid"):
            warnings.warn(
                f"activation_func={activation_func!r} has no effect on a GRUNet; "
                "use activation= and recurrent_activation= for the GRU layers",
                UserWarning,
                stacklevel=3,
            )
        self.dropout_rate = check_float(
            "dropout_rate", dropout_rate, minimum=0.0, maximum=1.0, max_inclusive=False
        )
        activations.get(activation)
        activations.get(recurrent_activation)
        self.activation = activation
        self.recurrent_activation = recurrent_activation
        self.reset_after = check_bool("reset_after", reset_after)
        self.return_sequences = check_bool("return_sequences", return_sequences)
        self.time_steps = (
            None if time_steps is None else check_int("time_steps", time_steps, minimum=1)
        )

        n_layers = len(self.block_size)
        seeds = derive_seeds(seed, 4 * n_layers + 2)
        self.gru_layers = []
        self.dropout_layers = []
        fan_in = [self.input_size] + self.block_size[:-1]
        for i, (units, n_in) in enumerate(zip(self.block_size, fan_in)):
            s = seeds[4 * i : 4 * i + 4]
            bias_shape = (2, 3 * units) if reset_after else (3 * units,)
            self.gru_layers.append(
                tf.keras.layers.GRU(
                    units,
                    activation=activation,
                    recurrent_activation=recurrent_activation,
                    kernel_initializer=make_initializer(
                        weight, "glorot_uniform", s[0], "weight", (n_in, 3 * units)),
                    recurrent_initializer=make_initializer(
                        None, "orthogonal", s[1], "weight", (units, 3 * units)),
                    bias_initializer=make_initializer(
                        biases, "zeros", s[2], "biases", bias_shape),
                    reset_after=reset_after,
                    return_sequences=return_sequences or i < n_layers - 1,
                    seed=s[3],
                    name=f"gru_{i}",
                )
            )
            if self.dropout_rate > 0:
                self.dropout_layers.append(
                    tf.keras.layers.Dropout(self.dropout_rate, seed=s[3], name=f"dropout_{i}")
                )
        self.out_layer = tf.keras.layers.Dense(
            self.output_size,
            activation=None,
            kernel_initializer=make_initializer(
                weight, "glorot_uniform", seeds[-2], "weight",
                (self.block_size[-1], self.output_size)),
            bias_initializer=make_initializer(
                biases, "zeros", seeds[-1], "biases", (self.output_size,)),
            name="output",
        )
        self._build_weights((1, self.time_steps or 1, self.input_size))

    def call(self, inputs, training=False):
        x = inputs
        for i, layer in enumerate(self.gru_layers):
            x = layer(x, training=training)
            if self.dropout_layers:
                x = self.dropout_layers[i](x, training=training)
        return self.out_layer(x)

    def get_config(self) -> dict[str, Any]:
        """Constructor arguments, for Keras' ``.keras`` files (weights are separate)."""
        return {
            "input_size": self.input_size, "block_size": self.block_size,
            "output_size": self.output_size, "dropout_rate": self.dropout_rate,
            "activation": self.activation,
            "recurrent_activation": self.recurrent_activation,
            "reset_after": self.reset_after, "return_sequences": self.return_sequences,
            "time_steps": self.time_steps, "name": self.name, "seed": self.seed,
            "fast_path": self.fast_path,
        }

    @property
    def activations(self) -> list[str]:
        """Activation names: the candidate's, the gates', then the output's."""
        return [self.activation, self.recurrent_activation, "linear"]

    def check_inputs(self, x: Any, name: str = "x_data") -> np.ndarray:
        """Return ``x`` as float32 ``(batch, time_steps, input_size)``.

        ``(batch, time_steps)`` is accepted when ``input_size == 1``.
        """
        x = check_array(name, x, dtype=np.float32)
        given = x.shape
        if x.ndim == 2 and self.input_size == 1:
            x = x[:, :, None]
        steps = "time_steps" if self.time_steps is None else str(self.time_steps)
        if (
            x.ndim != 3
            or x.shape[2] != self.input_size
            or x.shape[1] < 1
            or len(x) < 1
            or (self.time_steps is not None and x.shape[1] != self.time_steps)
        ):
            extra = f" or (batch, {steps})" if self.input_size == 1 else ""
            raise ValueError(
                f"{name} must have shape (batch, {steps}, {self.input_size})"
                f"{extra} for this GRUNet, got shape {given}"
            )
        return x

    def check_targets(self, y: Any, n_samples: int, name: str = "y_data",
                      time_steps: int | None = None) -> np.ndarray:
        """Return ``y`` as float32 targets matching the network's output.

        ``(batch, output_size)`` (or ``(batch,)`` when ``output_size == 1``);
        with ``return_sequences``, ``(batch, time_steps, output_size)`` (or
        ``(batch, time_steps)`` when ``output_size == 1``).
        """
        if not self.return_sequences:
            return super().check_targets(y, n_samples, name)
        y = check_array(name, y, dtype=np.float32)
        given = y.shape
        if y.ndim == 2 and self.output_size == 1:
            y = y[:, :, None]
        steps = "time_steps" if time_steps is None else str(time_steps)
        if (
            y.ndim != 3
            or y.shape[2] != self.output_size
            or (time_steps is not None and y.shape[1] != time_steps)
        ):
            raise ValueError(
                f"{name} must have shape (batch, {steps}, {self.output_size}) for a "
                f"GRUNet with return_sequences=True, got shape {given}"
            )
        if len(y) != n_samples:
            raise ValueError(f"{name} has {len(y)} samples but the inputs have {n_samples}")
        return y

    def to_dict(self) -> dict[str, Any]:
        """Sizes, settings and every weight.

        Each entry of ``layers`` holds one GRU layer: ``kernel`` of shape
        ``(inputs, 3 * units)``, ``recurrent_kernel`` of shape
        ``(units, 3 * units)`` and ``bias`` of shape ``(2, 3 * units)`` (input
        bias, then recurrent bias) when ``reset_after`` is true, else
        ``(3 * units,)``. The columns of each are the gates in the order
        update ``z``, reset ``r``, candidate ``h~``. ``output_layer`` holds
        the dense output's ``kernel`` ``(units, output_size)`` and ``bias``.
        """
        config = self._common_dict()
        config.update(
            dropout_rate=self.dropout_rate,
            activation=self.activation,
            recurrent_activation=self.recurrent_activation,
            reset_after=self.reset_after,
            return_sequences=self.return_sequences,
            time_steps=self.time_steps,
            gate_order=list(GATE_ORDER),
            layers=[
                {
                    "kernel": weight_to_list(layer.cell.kernel),
                    "recurrent_kernel": weight_to_list(layer.cell.recurrent_kernel),
                    "bias": weight_to_list(layer.cell.bias),
                }
                for layer in self.gru_layers
            ],
            output_layer={
                "kernel": weight_to_list(self.out_layer.kernel),
                "bias": weight_to_list(self.out_layer.bias),
            },
        )
        return config

    @classmethod
    def from_dict(cls, config: dict[str, Any]) -> "TensorflowGRUNet":
        """Build a network from :meth:`to_dict` output, weights included."""
        cls._check_config(
            config,
            ["input_size", "block_size", "output_size", "layers", "output_layer"],
        )
        net = cls(
            input_size=config["input_size"],
            block_size=config["block_size"],
            output_size=config["output_size"],
            dropout_rate=config.get("dropout_rate", 0.0),
            activation=config.get("activation", "tanh"),
            recurrent_activation=config.get("recurrent_activation", "sigmoid"),
            reset_after=config.get("reset_after", True),
            return_sequences=config.get("return_sequences", False),
            time_steps=config.get("time_steps"),
            name=config.get("name", "gru_net"),
            seed=config.get("seed"),
            fast_path=config.get("fast_path", True),
        )
        if config.get("gate_order", GATE_ORDER) != GATE_ORDER:
            raise ValueError(
                f"config['gate_order'] is {config['gate_order']!r}; this version "
                f"reads weights in the gate order {GATE_ORDER}"
            )
        layers = config["layers"]
        if not isinstance(layers, list) or len(layers) != len(net.gru_layers):
            raise ValueError(f"config['layers'] must list {len(net.gru_layers)} GRU layers")
        fan_in = [net.input_size] + net.block_size[:-1]
        for i, (layer, entry, n_in) in enumerate(zip(net.gru_layers, layers, fan_in)):
            units = layer.units
            bias_shape = (2, 3 * units) if net.reset_after else (3 * units,)
            where = f"layers[{i}]"
            layer.set_weights([
                weight_from_list(f"{where}.{key}", config_entry(entry, key, where), shape)
                for key, shape in (
                    ("kernel", (n_in, 3 * units)),
                    ("recurrent_kernel", (units, 3 * units)),
                    ("bias", bias_shape),
                )
            ])
        out = config["output_layer"]
        net.out_layer.set_weights([
            weight_from_list(f"output_layer.{key}", config_entry(out, key, "output_layer"), shape)
            for key, shape in (
                ("kernel", (net.block_size[-1], net.output_size)),
                ("bias", (net.output_size,)),
            )
        ])
        return net
