"""EarlyStopping, SaveBestModel, VisualizationTS and DEGANN's helpers."""

import os
import warnings

import numpy as np
import pytest

tf = pytest.importorskip("tensorflow")

from degann import IModel  # noqa: E402
from degann.networks.callbacks import (  # noqa: E402
    EarlyStopping,
    LightHistory,
    MeasureTrainTime,
    MemoryCleaner,
    SaveBestModel,
    VisualizationTS,
)

PNG = b"\x89PNG\r\n\x1a\n"


class _Script(tf.keras.callbacks.Callback):
    """Writes a scripted 'score' into the logs and snapshots the weights."""

    def __init__(self, scores):
        super().__init__()
        self.scores = scores
        self.snapshots = []

    def on_epoch_end(self, epoch, logs=None):
        logs["score"] = self.scores[epoch]
        self.snapshots.append([np.array(w) for w in self.model.get_weights()])


def _model(net_type="GRUNet"):
    if net_type == "GRUNet":
        return IModel(2, [4], 1, net_type="GRUNet", seed=0)
    return IModel(8, [4], 1, net_type="DenseNet", activation_func=["tanh", "linear"], seed=0)


def _inputs(data, net_type):
    return (data.train.inputs, data.val.inputs) if net_type == "GRUNet" else (
        data.train.flat, data.val.flat)


def _train(model, data, net_type, callbacks, epochs, validation=True, rate=1e-2):
    model.compile(rate=rate, optimizer="Adam", metrics=[])
    x_train, x_val = _inputs(data, net_type)
    return model.train(x_train, data.train.targets,
                       validation_data=(x_val, data.val.targets) if validation else None,
                       epochs=epochs, mini_batch_size=16, callbacks=callbacks, verbose=0)


def _assert_weights_equal(model, weights):
    for a, b in zip(model.network.get_weights(), weights):
        np.testing.assert_array_equal(a, b)


def test_early_stopping_restores_best_weights_when_it_fires(sin_windows):
    script = _Script([5, 4, 1, 2, 3, 4, 5, 6, 7, 8])
    stop = EarlyStopping(monitor="score", mode="min", patience=3, restore_best_weights=True)
    model = _model()
    history = _train(model, sin_windows, "GRUNet", [script, stop], epochs=10)
    assert len(history.history["loss"]) == 6  # stopped after epoch index 5
    assert (stop.best_epoch, stop.stopped_epoch) == (2, 5)
    _assert_weights_equal(model, script.snapshots[2])


def test_early_stopping_restores_best_weights_when_training_just_ends(sin_windows):
    # The best epoch (index 4) is within patience of the last one: no stop fires.
    script = _Script([5, 4, 3, 2, 1, 2, 3])
    stop = EarlyStopping(monitor="score", mode="min", patience=3, restore_best_weights=True)
    model = _model()
    _train(model, sin_windows, "GRUNet", [script, stop], epochs=7)
    assert stop.stopped_epoch == 0 and stop.best_epoch == 4
    assert not np.array_equal(script.snapshots[-1][0], script.snapshots[4][0])
    _assert_weights_equal(model, script.snapshots[4])


def test_early_stopping_checks_arguments():
    with pytest.raises(ValueError, match="patience must be >= 0"):
        EarlyStopping(patience=-1)
    with pytest.raises(ValueError, match="unknown mode"):
        EarlyStopping(mode="lowest")


@pytest.mark.parametrize("net_type", ["GRUNet", "DenseNet"])
def test_save_best_model_file_predicts_like_the_best_epoch(tmp_path, sin_windows, net_type):
    script = _Script([0] * 8)
    best = SaveBestModel(path=str(tmp_path / "best"))
    model = _model(net_type)
    history = _train(model, sin_windows, net_type, [script, best], epochs=8)
    val_losses = history.history["val_loss"]
    assert best.best_epoch == int(np.argmin(val_losses))
    assert best.best_value == pytest.approx(min(val_losses))
    # Restored at the end: the network holds the best epoch's weights.
    _assert_weights_equal(model, script.snapshots[best.best_epoch])
    loaded = IModel(1, [2], 1)
    loaded.from_file(str(tmp_path / "best"))
    _, x_val = _inputs(sin_windows, net_type)
    np.testing.assert_array_equal(loaded.predict(x_val), model.predict(x_val))
    loaded.compile(metrics=[])
    assert loaded.evaluate(x_val, sin_windows.val.targets, verbose=0) == pytest.approx(
        best.best_value, rel=1e-5)


def test_save_best_model_writes_only_on_improvement(tmp_path, sin_windows, monkeypatch):
    from degann.networks import serialization

    writes = []
    original = serialization.write_apg
    monkeypatch.setattr(serialization, "write_apg",
                        lambda path, config: writes.append(1) or original(path, config))
    script = _Script([0] * 6)
    best = SaveBestModel(monitor="score_seen", path=str(tmp_path / "b"))

    class Feed(tf.keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            logs["score_seen"] = [3, 2, 2.5, 1, 4, 1][epoch]

    _train(_model(), sin_windows, "GRUNet", [script, Feed(), best], epochs=6)
    assert len(writes) == 3  # epochs 0, 1 and 3 improve; the repeated 1 does not
    assert best.best_epoch == 3


def test_failed_write_leaves_the_previous_file_loadable(tmp_path, sin_windows, monkeypatch):
    import degann._io as io_module

    best = SaveBestModel(path=str(tmp_path / "best"))
    model = _model()
    _train(model, sin_windows, "GRUNet", [best], epochs=2)
    before = (tmp_path / "best.apg").read_bytes()

    def broken_fsync(fd):
        raise OSError("disk full")

    monkeypatch.setattr(io_module.os, "fsync", broken_fsync)
    with pytest.raises(OSError, match="disk full"):
        _train(model, sin_windows, "GRUNet", [SaveBestModel(path=str(tmp_path / "best"))],
               epochs=1)
    assert (tmp_path / "best.apg").read_bytes() == before
    assert os.listdir(tmp_path) == ["best.apg"]
    IModel(1, [2], 1).from_file(str(tmp_path / "best"))


def test_missing_val_loss_falls_back_to_loss_and_warns_once(sin_windows):
    best = SaveBestModel()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        history = _train(_model(), sin_windows, "GRUNet", [best], epochs=4, validation=False)
    messages = [w for w in caught if "SaveBestModel" in str(w.message)]
    assert len(messages) == 1
    assert "tracked 'loss' instead" in str(messages[0].message)
    assert best.monitor_used == "loss"
    assert best.best_value == pytest.approx(min(history.history["loss"]))


def test_save_best_model_in_plain_keras_fit(tmp_path, sin_windows):
    model = tf.keras.Sequential([tf.keras.Input((4, 2)), tf.keras.layers.GRU(3),
                                 tf.keras.layers.Dense(1)])
    model.compile(optimizer="adam", loss="mse")
    best = SaveBestModel(keras_path=str(tmp_path / "best.keras"))
    model.fit(sin_windows.train.inputs, sin_windows.train.targets,
              validation_data=(sin_windows.val.inputs, sin_windows.val.targets),
              epochs=3, verbose=0, callbacks=[best])
    loaded = tf.keras.models.load_model(tmp_path / "best.keras")
    np.testing.assert_allclose(loaded(sin_windows.val.inputs), model(sin_windows.val.inputs))
    with pytest.raises(TypeError, match="needs a degann network"):
        model.fit(sin_windows.train.inputs, sin_windows.train.targets, epochs=1, verbose=0,
                  callbacks=[SaveBestModel(path=str(tmp_path / "x"))])


def test_keras_file_of_a_degann_network_loads(tmp_path, sin_windows):
    best = SaveBestModel(keras_path=str(tmp_path / "gru.keras"))
    model = _model()
    _train(model, sin_windows, "GRUNet", [best], epochs=2)
    loaded = tf.keras.models.load_model(tmp_path / "gru.keras")
    np.testing.assert_array_equal(np.asarray(loaded(sin_windows.val.inputs)),
                                  model.predict(sin_windows.val.inputs))


def test_visualization_is_headless_and_closes_its_figures(tmp_path, sin_windows, monkeypatch):
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("MPLBACKEND", raising=False)
    vis = VisualizationTS(sin_windows.val.inputs, sin_windows.val.clean_targets,
                          tmp_path / "plots", x_values=sin_windows.val.x, every=5)
    _train(_model(), sin_windows, "GRUNet", [vis], epochs=30)
    names = sorted(p.name for p in (tmp_path / "plots").iterdir())
    expected = sorted([f"{kind}_epoch{e:05d}.png" for kind in ("loss", "prediction")
                       for e in range(5, 31, 5)] + ["loss_final.png", "prediction_final.png"])
    assert names == expected
    for name in names:
        assert (tmp_path / "plots" / name).read_bytes()[:8] == PNG
    import matplotlib.pyplot as plt

    assert plt.get_fignums() == []
    import matplotlib

    assert matplotlib.get_backend().lower() != "tkagg"


def test_visualization_checks_its_data(tmp_path):
    with pytest.raises(ValueError, match="y_true has 3 values but x_data 4 samples"):
        VisualizationTS(np.zeros((4, 2, 1)), np.zeros(3), tmp_path)
    with pytest.raises(ValueError, match="every must be >= 1"):
        VisualizationTS(np.zeros((4, 2, 1)), np.zeros(4), tmp_path, every=0)


@pytest.mark.parametrize("net_type", ["GRUNet", "DenseNet"])
def test_helpers_and_all_callbacks_together(tmp_path, sin_windows, net_type):
    timer, light, cleaner = MeasureTrainTime(), LightHistory(), MemoryCleaner(every=2)
    _, x_val = _inputs(sin_windows, net_type)
    callbacks = [
        EarlyStopping(patience=5, restore_best_weights=True),
        SaveBestModel(path=str(tmp_path / "best")),
        VisualizationTS(x_val, sin_windows.val.clean_targets, tmp_path / "plots", every=2),
        timer, light, cleaner,
    ]
    model = _model(net_type)
    history = _train(model, sin_windows, net_type, callbacks, epochs=3)
    assert len(timer.epoch_time) == 3 and timer.train_time >= sum(timer.epoch_time)
    assert model.network.trained_time["train_time"] > 0
    assert light.last_epoch == 2
    assert light.last_logs["loss"] == pytest.approx(history.history["loss"][-1])
    assert (tmp_path / "best.apg").exists()
    assert (tmp_path / "plots" / "prediction_final.png").read_bytes()[:8] == PNG


class _PoisonLastEpoch(tf.keras.callbacks.Callback):
    """Turns every weight into NaN at the end of the given epoch (a diverged step)."""

    def __init__(self, epoch):
        super().__init__()
        self.epoch = epoch

    def on_epoch_end(self, epoch, logs=None):
        if epoch == self.epoch:
            self.model.set_weights([np.full_like(w, np.nan) for w in self.model.get_weights()])
            logs["val_loss"] = -1.0  # a finite, "best" value logged with broken weights


def test_save_best_model_never_keeps_non_finite_weights(tmp_path, sin_windows):
    best = SaveBestModel(path=str(tmp_path / "best"))
    model = _model()
    _train(model, sin_windows, "GRUNet", [_PoisonLastEpoch(1), best], epochs=2)
    assert best.best_epoch == 0
    assert all(np.all(np.isfinite(w)) for w in model.network.get_weights())
    IModel.from_file(str(tmp_path / "best"))


def test_save_best_model_does_not_mix_loss_and_val_loss(sin_windows):
    model = tf.keras.Sequential([tf.keras.Input((4, 2)), tf.keras.layers.GRU(3),
                                 tf.keras.layers.Dense(1)])
    model.compile(optimizer="adam", loss="mse")
    best = SaveBestModel()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        history = model.fit(sin_windows.train.inputs, sin_windows.train.targets,
                            validation_data=(sin_windows.val.inputs, sin_windows.val.targets),
                            validation_freq=2, epochs=4, verbose=0, callbacks=[best])
    assert best.monitor_used == "val_loss"
    assert best.best_value == pytest.approx(min(history.history["val_loss"]))
    assert best.best_epoch in (1, 3)
    assert not [w for w in caught if "SaveBestModel" in str(w.message)]


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        (dict(monitor=""), ValueError, "monitor must be a metric name"),
        (dict(min_delta=-1.0), ValueError, "min_delta must be >= 0"),
        (dict(verbose="yes"), ValueError, "verbose must be 0, 1 or 2"),
        (dict(path=""), ValueError, "path must name a file"),
        (dict(keras_path="model.h5"), ValueError, "must end with '.keras'"),
    ],
)
def test_save_best_model_arguments(kwargs, error, message):
    with pytest.raises(error, match=message):
        SaveBestModel(**kwargs)


def test_save_best_model_refuses_a_folder_in_place_of_its_file(tmp_path, sin_windows):
    (tmp_path / "best.apg").mkdir()
    with pytest.raises(ValueError, match="is a folder, not a file"):
        _train(_model(), sin_windows, "GRUNet", [SaveBestModel(path=str(tmp_path / "best"))],
               epochs=1)


@pytest.mark.parametrize(
    "kwargs, message",
    [(dict(verbose="loud"), "verbose must be 0, 1 or 2"),
     (dict(baseline="abc"), "baseline must be a real number"),
     (dict(monitor=""), "monitor must be a metric name")],
)
def test_early_stopping_argument_types(kwargs, message):
    with pytest.raises((TypeError, ValueError), match=message):
        EarlyStopping(**kwargs)


def test_visualization_accepts_the_shapes_train_accepts(tmp_path):
    x = np.linspace(0, 1, 40).reshape(10, 4)  # (batch, time_steps) for input_size 1
    model = IModel(1, [3], 1, net_type="GRUNet", seed=0)
    vis = VisualizationTS(x, x[:, -1], tmp_path, every=1)
    model.compile(metrics=[])
    model.train(x, x[:, -1], epochs=1, verbose=0, callbacks=[vis])
    assert (tmp_path / "prediction_final.png").exists()
    with pytest.raises(ValueError, match=r"x_data must have shape \(batch, time_steps, 1\)"):
        model.train(x, x[:, -1], epochs=1, verbose=0,
                    callbacks=[VisualizationTS(np.zeros((10, 4, 3)), x[:, -1], tmp_path)])


def test_measure_train_time_is_what_the_network_stores(sin_windows):
    timer = MeasureTrainTime()
    model = _model()
    _train(model, sin_windows, "GRUNet", [timer], epochs=2)
    assert model.network.trained_time["train_time"] == timer.train_time
    assert model.network.trained_time["epoch_time"] == timer.epoch_time
