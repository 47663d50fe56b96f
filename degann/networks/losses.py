"""Loss functions by class name: Keras' and DEGANN's own.

DEGANN's losses (each a ``tf.keras.losses.Loss``, computed over the whole
batch):

- ``RelativeAbsoluteError``: ``sum|y - p| / sum|y - mean(y)|``;
- ``MaxAbsoluteDeviation``: ``max|y - p|``;
- ``MaxAbsolutePercentageError``: ``100 * max(|y - p| / |y|)``;
- ``RootMeanSquaredError``: ``sqrt(mean((y - p)^2))``.
"""

from __future__ import annotations

import tensorflow as tf

from degann.networks._keras_names import keras_classes, lookup

__all__ = [
    "MaxAbsoluteDeviation",
    "MaxAbsolutePercentageError",
    "RelativeAbsoluteError",
    "RootMeanSquaredError",
    "get_all_loss_functions",
    "get_loss",
]


def _pair(y_true, y_pred):
    y_pred = tf.convert_to_tensor(y_pred)
    return tf.cast(y_true, y_pred.dtype), y_pred


class RelativeAbsoluteError(tf.keras.losses.Loss):
    """``sum|y - p| / sum|y - mean(y)|`` over the batch."""

    def __init__(self, name: str = "relative_absolute_error", **kwargs):
        super().__init__(name=name, **kwargs)

    def call(self, y_true, y_pred):
        y_true, y_pred = _pair(y_true, y_pred)
        spread = tf.reduce_sum(tf.abs(y_true - tf.reduce_mean(y_true)))
        return tf.reduce_sum(tf.abs(y_true - y_pred)) / tf.maximum(
            spread, tf.keras.backend.epsilon())


class MaxAbsoluteDeviation(tf.keras.losses.Loss):
    """``max|y - p|`` over the batch."""

    def __init__(self, name: str = "max_absolute_deviation", **kwargs):
        super().__init__(name=name, **kwargs)

    def call(self, y_true, y_pred):
        y_true, y_pred = _pair(y_true, y_pred)
        return tf.reduce_max(tf.abs(y_true - y_pred))


class MaxAbsolutePercentageError(tf.keras.losses.Loss):
    """``100 * max(|y - p| / |y|)`` over the batch (``|y|`` at least epsilon)."""

    def __init__(self, name: str = "max_absolute_percentage_error", **kwargs):
        super().__init__(name=name, **kwargs)

    def call(self, y_true, y_pred):
        y_true, y_pred = _pair(y_true, y_pred)
        ratio = tf.abs(y_true - y_pred) / tf.maximum(tf.abs(y_true),
                                                     tf.keras.backend.epsilon())
        return 100.0 * tf.reduce_max(ratio)


class RootMeanSquaredError(tf.keras.losses.Loss):
    """``sqrt(mean((y - p)^2))`` over the batch."""

    def __init__(self, name: str = "root_mean_squared_error", **kwargs):
        super().__init__(name=name, **kwargs)

    def call(self, y_true, y_pred):
        y_true, y_pred = _pair(y_true, y_pred)
        return tf.sqrt(tf.reduce_mean(tf.square(y_true - y_pred)))


_LOSSES = {
    **keras_classes(tf.keras.losses, tf.keras.losses.Loss),
    "RelativeAbsoluteError": RelativeAbsoluteError,
    "MaxAbsoluteDeviation": MaxAbsoluteDeviation,
    "MaxAbsolutePercentageError": MaxAbsolutePercentageError,
    "RootMeanSquaredError": RootMeanSquaredError,
}


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
