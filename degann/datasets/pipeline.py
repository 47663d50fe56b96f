"""A Keras-ready ``tf.data`` pipeline for tables too large to pass as arrays."""

from __future__ import annotations

from typing import Any

import numpy as np

from degann._validation import check_array, check_bool, check_int, check_seed

__all__ = ["to_tf_dataset"]


def to_tf_dataset(
    inputs: Any,
    targets: Any,
    batch_size: int = 32,
    *,
    shuffle: bool = True,
    seed: int | None = 0,
    drop_remainder: bool = False,
):
    """Batched, prefetched ``tf.data.Dataset`` of ``(inputs, targets)`` pairs.

    Parameters
    ----------
    inputs, targets : array_like
        Samples along the first axis (windows, flattened windows or a table's
        columns); converted to float32.
    batch_size : int
        Samples per batch.
    shuffle : bool
        Reshuffle the samples every epoch (seeded).
    seed : int or None
        Seed of the shuffle.
    drop_remainder : bool
        Drop the last, smaller batch.

    Returns
    -------
    tf.data.Dataset
        Feed it to ``fit`` directly (for example ``IModel.network.fit``).
    """
    import tensorflow as tf

    x = check_array("inputs", inputs, dtype=np.float32)
    y = check_array("targets", targets, dtype=np.float32)
    if len(x) != len(y):
        raise ValueError(f"inputs have {len(x)} samples but targets {len(y)}")
    batch_size = check_int("batch_size", batch_size, minimum=1)
    shuffle = check_bool("shuffle", shuffle)
    seed = check_seed("seed", seed)
    dataset = tf.data.Dataset.from_tensor_slices((x, y))
    if shuffle:
        dataset = dataset.shuffle(len(x), seed=seed, reshuffle_each_iteration=True)
    return dataset.batch(batch_size, drop_remainder=check_bool("drop_remainder",
                                                                drop_remainder)).prefetch(
        tf.data.AUTOTUNE)
