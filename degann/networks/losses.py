"""Loss functions by Keras class name (``"MeanSquaredError"``, ...)."""

from __future__ import annotations

import tensorflow as tf

from degann.networks._keras_names import keras_classes, lookup

__all__ = ["get_all_loss_functions", "get_loss"]

_LOSSES = keras_classes(tf.keras.losses, tf.keras.losses.Loss)


def get_all_loss_functions() -> dict[str, type]:
    """Map of every known loss name to its class."""
    return dict(_LOSSES)


def get_loss(name: str) -> tf.keras.losses.Loss:
    """Create a loss by class name.

    Raises
    ------
    ValueError
        For an unknown name; the message suggests close ones.
    """
    return lookup("loss_func", name, _LOSSES)()
