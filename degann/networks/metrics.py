"""Metrics by Keras class name (``"MeanAbsoluteError"``, ...)."""

from __future__ import annotations

import tensorflow as tf

from degann.networks._keras_names import keras_classes, lookup

__all__ = ["DEFAULT_METRICS", "get_all_metric_functions", "get_metric"]

_METRICS = keras_classes(
    tf.keras.metrics, tf.keras.metrics.Metric, exclude=("Mean", "Sum", "MeanMetricWrapper")
)

#: Metrics compiled in when none are given, as in DEGANN.
DEFAULT_METRICS = (
    "MeanSquaredError",
    "MeanAbsoluteError",
    "MeanSquaredLogarithmicError",
)


def get_all_metric_functions() -> dict[str, type]:
    """Map of every known metric name to its class."""
    return dict(_METRICS)


def get_metric(name: str) -> tf.keras.metrics.Metric:
    """Create a metric by class name.

    Raises
    ------
    ValueError
        For an unknown name; the message suggests close ones.
    """
    return lookup("metric", name, _METRICS)()
