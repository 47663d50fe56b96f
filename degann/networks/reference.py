"""Plain NumPy forward passes computed from ``to_dict()`` alone.

This is the single written-out statement of the networks' math: tests check
the Keras models against it, and exported code is checked against it.

GRU step (gate columns in the order update ``z``, reset ``r``, candidate
``h``; ``W`` input kernel, ``U`` recurrent kernel)::

    reset_after=True  (bias rows: input bias b, recurrent bias c)
        z  = s(x W_z + b_z + h U_z + c_z)
        r  = s(x W_r + b_r + h U_r + c_r)
        h~ = g(x W_h + b_h + r * (h U_h + c_h))
    reset_after=False (one bias b)
        z  = s(x W_z + h U_z + b_z)
        r  = s(x W_r + h U_r + b_r)
        h~ = g(x W_h + (r * h) U_h + b_h)
    h' = z * h + (1 - z) * h~

with ``s`` the recurrent activation (sigmoid) and ``g`` the activation
(tanh); the state starts at zero. Dropout is inactive in inference.
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np
from scipy.special import erf

from degann._validation import check_array, unknown_name_message

__all__ = ["ACTIVATIONS", "dense_forward", "forward", "gru_forward"]


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * x))


_SELU_ALPHA = 1.6732632423543772
_SELU_SCALE = 1.0507009873554805

#: NumPy versions of the activations that networks may name.
ACTIVATIONS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "linear": lambda x: x,
    "tanh": np.tanh,
    "sigmoid": _sigmoid,
    "relu": lambda x: np.maximum(x, 0.0),
    "elu": lambda x: np.where(x > 0, x, np.expm1(np.minimum(x, 0.0))),
    "selu": lambda x: _SELU_SCALE * np.where(x > 0, x, _SELU_ALPHA * np.expm1(np.minimum(x, 0.0))),
    "gelu": lambda x: 0.5 * x * (1.0 + erf(x / np.sqrt(2.0))),
    "exponential": np.exp,
    "hard_sigmoid": lambda x: np.clip(x / 6.0 + 0.5, 0.0, 1.0),
    "swish": lambda x: x * _sigmoid(x),
    "softplus": lambda x: np.logaddexp(0.0, x),
    "softsign": lambda x: x / (1.0 + np.abs(x)),
    "parabolic": lambda x, beta=0.0, p=1 / 5: beta + np.sign(x) * np.sqrt(2.0 * p * np.abs(x)),
    "perceptron_threshold": lambda x, threshold=1.0: (x >= threshold).astype(np.float64),
}


def _activation(name: str) -> Callable[[np.ndarray], np.ndarray]:
    if name not in ACTIVATIONS:
        raise ValueError(unknown_name_message("activation", name, list(ACTIVATIONS)))
    return ACTIVATIONS[name]


def _array(value: Any) -> np.ndarray:
    return np.asarray(value, dtype=np.float64)


def gru_forward(config: dict[str, Any], x: Any) -> np.ndarray:
    """Forward pass of a GRUNet described by ``config`` on windows ``x``.

    Parameters
    ----------
    config : dict
        Output of ``TensorflowGRUNet.to_dict()``.
    x : array_like, shape (batch, time_steps, input_size)
        Input windows.

    Returns
    -------
    numpy.ndarray
        ``(batch, output_size)``, or ``(batch, time_steps, output_size)`` when
        the network returns sequences. Computed in float64.
    """
    x = check_array("x", x, ndim=3)
    g = _activation(config.get("activation", "tanh"))
    s = _activation(config.get("recurrent_activation", "sigmoid"))
    reset_after = config.get("reset_after", True)
    sequence = x
    for layer in config["layers"]:
        kernel = _array(layer["kernel"])
        recurrent = _array(layer["recurrent_kernel"])
        bias = _array(layer["bias"])
        units = recurrent.shape[0]
        h = np.zeros((len(x), units))
        outputs = []
        for t in range(sequence.shape[1]):
            xw = sequence[:, t, :] @ kernel
            if reset_after:
                xw = xw + bias[0]
                hu = h @ recurrent + bias[1]
                z = s(xw[:, :units] + hu[:, :units])
                r = s(xw[:, units : 2 * units] + hu[:, units : 2 * units])
                candidate = g(xw[:, 2 * units :] + r * hu[:, 2 * units :])
            else:
                xw = xw + bias
                hu = h @ recurrent[:, : 2 * units]
                z = s(xw[:, :units] + hu[:, :units])
                r = s(xw[:, units : 2 * units] + hu[:, units:])
                candidate = g(xw[:, 2 * units :] + (r * h) @ recurrent[:, 2 * units :])
            h = z * h + (1.0 - z) * candidate
            outputs.append(h)
        sequence = np.stack(outputs, axis=1)
    out = config["output_layer"]
    result = sequence @ _array(out["kernel"]) + _array(out["bias"])
    return result if config.get("return_sequences", False) else result[:, -1, :]


def dense_forward(config: dict[str, Any], x: Any) -> np.ndarray:
    """Forward pass of a DenseNet described by ``config`` on inputs ``x``.

    Parameters
    ----------
    config : dict
        Output of ``TensorflowDenseNet.to_dict()``.
    x : array_like, shape (batch, input_size)

    Returns
    -------
    numpy.ndarray, shape (batch, output_size)
    """
    h = check_array("x", x, ndim=2)
    for layer in config["layers"]:
        params = layer.get("decorator_params") or {}
        z = h @ _array(layer["weights"]) + _array(layer["biases"])
        h = _activation(layer["activation"])(z, **params)
    return h


_FORWARDS = {"GRUNet": gru_forward, "DenseNet": dense_forward}


def forward(config: dict[str, Any], x: Any) -> np.ndarray:
    """Forward pass of any network described by ``to_dict()`` output."""
    net_type = config.get("net_type") if isinstance(config, dict) else None
    if net_type not in _FORWARDS:
        raise ValueError(unknown_name_message("net_type", str(net_type), list(_FORWARDS)))
    return _FORWARDS[net_type](config, x)
