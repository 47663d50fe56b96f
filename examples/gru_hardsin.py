"""Train a GRU network on windows of hardsin and plot its predictions.

Run: python examples/gru_hardsin.py [output.png]   (default results/gru_hardsin.png)
"""

import os
import sys

import numpy as np
from matplotlib.figure import Figure

from degann import IModel
from degann.datasets import sample_function, split_windows


def main(path: str = os.path.join("results", "gru_hardsin.png")) -> None:
    # 1. A table of hardsin with noisy observations, split and windowed.
    table = sample_function("hardsin", 1000, noise=0.01, seed=0)
    data = split_windows(table, time_steps=10, mode="sequence", val_fraction=0.2)

    # 2. A 5 x 30 GRU network, trained with Adam on the training windows.
    net = IModel(input_size=data.train.features, block_size=[30] * 5, output_size=1,
                 net_type="GRUNet", seed=0)
    net.compile(rate=1e-3, optimizer="Adam", loss_func="MeanSquaredError")
    history = net.train(data.train.inputs, data.train.targets,
                        validation_data=(data.val.inputs, data.val.targets),
                        epochs=40, mini_batch_size=32, verbose=0)

    # 3. Predictions on the validation windows, scored against the clean truth.
    prediction = net.predict(data.val.inputs)[:, 0]
    mse = float(np.mean((prediction - data.val.clean_targets[:, 0]) ** 2))
    print(f"validation MSE against the truth: {mse:.3e}")

    # 4. A plot (Matplotlib's Figure API needs no display).
    figure = Figure(figsize=(8, 6), layout="constrained")
    top, bottom = figure.subplots(2, 1)
    top.plot(table.x, table.y_clean, color="black", label="hardsin")
    top.plot(data.val.x, prediction, label=f"GRUNet (val MSE {mse:.1e})")
    top.axvline(data.val.x[0], color="0.6", linestyle=":", label="validation starts")
    top.set_xlabel("x")
    top.set_ylabel("y")
    top.legend(loc="lower left", fontsize="small")
    epochs = np.arange(1, len(history.history["loss"]) + 1)
    bottom.semilogy(epochs, history.history["loss"], label="training loss")
    bottom.semilogy(epochs, history.history["val_loss"],
                    label="validation loss (noisy targets)")
    bottom.set_xlabel("epoch")
    bottom.set_ylabel("MSE")
    bottom.legend()
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    figure.savefig(path)
    print(f"saved {path}")


if __name__ == "__main__":
    main(*sys.argv[1:2])
