"""Seconds per epoch of IModel's GRUNet against a plain Keras GRU stack.

Both train the report's configuration (5 GRU layers x 30 units, time_steps
10, the 790 training windows of hardsin in sequence mode, batch 32, Adam,
MSE) in this one process, from the same initial weights. The first epoch of each (graph building and XLA
compilation) is timed apart. Run:

    python benchmarks/gru_train_speed.py [--epochs 5] [--repeats 3]

Goal: IModel's GRUNet at least 3x faster per epoch than the Keras baseline,
reaching the same loss within noise.
"""

from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

from degann import IModel  # noqa: E402
from degann.datasets import sample_function, split_windows  # noqa: E402


class _Timer(tf.keras.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.durations = []

    def on_epoch_begin(self, epoch, logs=None):
        self._start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        self.durations.append(time.perf_counter() - self._start)


def keras_baseline(x, y, epochs, seed, initial_weights):
    tf.keras.utils.set_random_seed(seed)
    model = tf.keras.Sequential(
        [tf.keras.Input(shape=x.shape[1:])]
        + [tf.keras.layers.GRU(30, return_sequences=i < 4) for i in range(5)]
        + [tf.keras.layers.Dense(1)]
    )
    model.set_weights(initial_weights)
    model.compile(optimizer=tf.keras.optimizers.Adam(1e-3), loss="mse")
    timer = _Timer()
    history = model.fit(x, y, epochs=epochs, batch_size=32, verbose=0, callbacks=[timer])
    return timer.durations, history.history["loss"][-1]


def degann_gru(model, x, y, epochs):
    model.compile(rate=1e-3, optimizer="Adam", loss_func="MeanSquaredError", metrics=[])
    history = model.train(x, y, epochs=epochs, mini_batch_size=32, verbose=0)
    return model.network.trained_time["epoch_time"], history.history["loss"][-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--no-fast-path", action="store_true",
                        help="train IModel's GRUNet with fast_path=False")
    args = parser.parse_args()
    data = split_windows(sample_function("hardsin", 1000, noise=0.01, seed=0), 10)
    x, y = data.train.inputs.astype(np.float32), data.train.targets.astype(np.float32)
    print(f"{len(x)} windows of shape {x.shape[1:]}, batch 32, {args.epochs} epochs, "
          f"{args.repeats} repeats (median of the epochs after the first)")
    rows = {"keras GRU (defaults)": [], "IModel GRUNet": []}
    for repeat in range(args.repeats):
        # Both start from the same initial weights, so their losses are comparable.
        model = IModel(x.shape[2], [30] * 5, 1, net_type="GRUNet", seed=repeat,
                       fast_path=not args.no_fast_path)
        initial = model.network.get_weights()
        for name, run in (
            ("keras GRU (defaults)", lambda: keras_baseline(x, y, args.epochs, repeat, initial)),
            ("IModel GRUNet", lambda: degann_gru(model, x, y, args.epochs)),
        ):
            durations, loss = run()
            rows[name].append((durations[0], float(np.median(durations[1:])), loss))
    summary = {}
    for name, runs in rows.items():
        first = np.median([r[0] for r in runs])
        per_epoch = np.median([r[1] for r in runs])
        losses = [r[2] for r in runs]
        summary[name] = per_epoch
        print(f"{name:<22} first epoch {first:6.2f} s   then {per_epoch:.4f} s/epoch   "
              f"final loss {np.mean(losses):.5f} +- {np.std(losses):.5f}")
    ratio = summary["keras GRU (defaults)"] / summary["IModel GRUNet"]
    print(f"speed-up per epoch (keras / IModel): {ratio:.2f}x")


if __name__ == "__main__":
    main()
