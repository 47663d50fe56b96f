"""Optimizers by Keras class name (``"Adam"``, ``"SGD"``, ...)."""

from __future__ import annotations

import tensorflow as tf

from degann._validation import check_float
from degann.networks._keras_names import keras_classes, lookup

__all__ = ["get_all_optimizers", "get_optimizer"]

_OPTIMIZERS = keras_classes(
    tf.keras.optimizers,
    tf.keras.optimizers.Optimizer,
    exclude=("LossScaleOptimizer", "MultiOptimizer"),
    given=("learning_rate",),
)


def get_all_optimizers() -> dict[str, type]:
    """Map of every known optimizer name to its class."""
    return dict(_OPTIMIZERS)


def get_optimizer(name: str, rate: float = 1e-2, **kwargs) -> tf.keras.optimizers.Optimizer:
    """Create an optimizer by class name with learning rate ``rate``.

    Parameters
    ----------
    name : str
        Keras optimizer class name, for example ``"Adam"``.
    rate : float
        Learning rate, ``> 0``.
    **kwargs
        Further arguments of the optimizer's constructor.

    Raises
    ------
    ValueError
        For an unknown name (the message suggests close ones) or a bad rate.
    """
    cls = lookup("optimizer", name, _OPTIMIZERS)
    rate = check_float("rate", rate, minimum=0.0, min_inclusive=False, maximum=1e6)
    return cls(learning_rate=rate, **kwargs)
