"""Train a GRU network on hardsin with EarlyStopping, SaveBestModel and VisualizationTS.

Run: python examples/callbacks_hardsin.py [epochs] [output folder]
(defaults: 200 epochs, results/callbacks). Works without a display.
"""

import os
import sys

from degann import IModel
from degann.datasets import sample_function, split_windows
from degann.networks.callbacks import EarlyStopping, SaveBestModel, VisualizationTS


def main(epochs: int = 200, out: str = os.path.join("results", "callbacks")) -> None:
    data = split_windows(sample_function("hardsin", 1000, noise=0.01, seed=0), time_steps=10)
    net = IModel(input_size=2, block_size=[30] * 5, output_size=1, net_type="GRUNet", seed=0)
    net.compile(rate=1e-3, optimizer="Adam", loss_func="MeanSquaredError", metrics=[])

    stop = EarlyStopping(monitor="val_loss", patience=50, restore_best_weights=True)
    best = SaveBestModel(monitor="val_loss", path=os.path.join(out, "best"))
    plots = VisualizationTS(data.val.inputs, data.val.clean_targets,
                            os.path.join(out, "plots"), x_values=data.val.x, every=50)
    history = net.train(data.train.inputs, data.train.targets,
                        validation_data=(data.val.inputs, data.val.targets),
                        epochs=epochs, mini_batch_size=32, verbose=0,
                        callbacks=[stop, best, plots])

    ran = len(history.history["loss"])
    print(f"epochs run: {ran} (early stop at epoch {stop.stopped_epoch + 1 if stop.stopped_epoch else '-'})")
    print(f"best epoch: {best.best_epoch + 1}, best val_loss logged: {best.best_value:.6g}")

    loaded = IModel(1, [1], 1)
    loaded.from_file(os.path.join(out, "best"))
    loaded.compile(metrics=[])
    reloaded_loss = loaded.evaluate(data.val.inputs, data.val.targets, verbose=0)
    print(f"val_loss of {os.path.join(out, 'best')}.apg reloaded: {reloaded_loss:.6g}")
    print(f"plots: {len(plots.written)} PNG files in {os.path.join(out, 'plots')}")


if __name__ == "__main__":
    main(*(int(a) if i == 0 else a for i, a in enumerate(sys.argv[1:3])))
