"""Activation functions by name.

Keras' activations (``"tanh"``, ``"sigmoid"``, ``"relu"``, ...) plus DEGANN's
own parameterised ones:

- ``parabolic(x, beta=0, p=1/5) = beta + sign(x) * sqrt(2 p |x|)``;
- ``perceptron_threshold(x, threshold=1) = 1 where x >= threshold, else 0``.

Parameters of an activation (DEGANN's ``decorator_params``) are passed as
keyword arguments: ``get("parabolic")(x, beta=0.5, p=0.1)``.
"""

from __future__ import annotations

import inspect
from typing import Any, Callable

import tensorflow as tf

from degann.networks._keras_names import lookup

__all__ = ["check_params", "get", "get_all_activations", "parabolic", "perceptron_threshold"]


def parabolic(x, beta: float = 0.0, p: float = 1 / 5):
    """DEGANN's parabolic activation ``beta + sign(x) * sqrt(2 p |x|)``."""
    x = tf.convert_to_tensor(x)
    return beta + tf.sign(x) * tf.sqrt(2.0 * p * tf.abs(x))


def perceptron_threshold(x, threshold: float = 1.0):
    """DEGANN's step activation: 1 where ``x >= threshold``, else 0."""
    x = tf.convert_to_tensor(x)
    return tf.cast(x >= threshold, x.dtype)


_KERAS_NAMES = (
    "elu",
    "relu",
    "gelu",
    "selu",
    "exponential",
    "linear",
    "sigmoid",
    "hard_sigmoid",
    "swish",
    "tanh",
    "softplus",
    "softsign",
)

_ACTIVATIONS: dict[str, Callable] = {
    **{name: getattr(tf.keras.activations, name) for name in _KERAS_NAMES},
    "parabolic": parabolic,
    "perceptron_threshold": perceptron_threshold,
}


def get_all_activations() -> dict[str, Callable]:
    """Map of every known activation name to its function."""
    return dict(_ACTIVATIONS)


def get(name: str) -> Callable:
    """Return the activation function called ``name``.

    Raises
    ------
    ValueError
        For an unknown name; the message suggests close ones.
    """
    return lookup("activation", name, _ACTIVATIONS)


def check_params(name: str, params: Any) -> dict[str, float] | None:
    """Check an activation's parameters (``decorator_params``); return them as a dict.

    Raises
    ------
    TypeError
        If ``params`` is not a dict (or None) or names a parameter the
        activation does not take.
    """
    if params is None:
        return None
    if not isinstance(params, dict):
        raise TypeError(
            f"decorator_params for {name!r} must be a dict or None, got {type(params).__name__}"
        )
    accepted = [p for p in inspect.signature(get(name)).parameters if p != "x"]
    unknown = sorted(set(params) - set(accepted))
    if unknown:
        raise TypeError(
            f"activation {name!r} takes no parameter(s) {unknown}; it accepts {accepted}"
        )
    return dict(params)
