"""Activation functions by name.

The names are Keras' (``"tanh"``, ``"sigmoid"``, ``"relu"``, ...); each maps
to the Keras function of that name.
"""

from __future__ import annotations

from typing import Callable

import tensorflow as tf

from degann.networks._keras_names import lookup

__all__ = ["get", "get_all_activations"]

_NAMES = (
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
    name: getattr(tf.keras.activations, name) for name in _NAMES
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
