"""IModel with both network types: building, shapes, training, to_dict."""

import numpy as np
import pytest

tf = pytest.importorskip("tensorflow")

from degann import IModel  # noqa: E402
from degann.networks.topology import get_topology, net_types  # noqa: E402
from degann.networks.topology.tensorflow_gru import TensorflowGRUNet  # noqa: E402
from degann.networks.topology.tf_densenet import TensorflowDenseNet  # noqa: E402


def _gru(**kwargs):
    kwargs.setdefault("seed", 0)
    return IModel(2, [8, 8], 1, net_type="GRUNet", **kwargs)


def _dense(**kwargs):
    kwargs.setdefault("seed", 0)
    return IModel(8, [8, 8], 1, net_type="DenseNet",
                  activation_func=["tanh", "tanh", "linear"], **kwargs)


def test_registry_knows_both_types():
    assert net_types() == ["DenseNet", "GRUNet"]
    assert get_topology("GRUNet") is TensorflowGRUNet
    assert get_topology("DenseNet") is TensorflowDenseNet


def test_unknown_net_type_lists_the_known_ones():
    with pytest.raises(ValueError, match=r"unknown net_type 'GRU'.*DenseNet, GRUNet"):
        IModel(1, [4], 1, net_type="GRU")


def test_both_types_build_through_imodel():
    gru, dense = _gru(), _dense()
    assert isinstance(gru.network, TensorflowGRUNet)
    assert isinstance(gru.network, tf.keras.Model)
    assert isinstance(dense.network, TensorflowDenseNet)
    assert gru.get_shape == [8, 8] and dense.get_shape == [8, 8]
    assert gru.get_input_size == 2 and dense.get_input_size == 8
    assert "GRUNet" in str(gru) and "DenseNet" in str(dense)
    # GRU layer: 3 * (n_in * u + u * u + 2 * u) weights; output: u * out + out.
    expected = 3 * (2 * 8 + 64 + 16) + 3 * (8 * 8 + 64 + 16) + 8 + 1
    assert gru.count_params() == expected


def test_gru_output_shape():
    model = IModel(3, [5, 6], 4, net_type="GRUNet", seed=1)
    x = np.random.default_rng(0).normal(size=(7, 9, 3))
    assert model.predict(x).shape == (7, 4)
    assert tuple(model.feedforward(x).shape) == (7, 4)


def test_gru_accepts_two_dimensional_input_when_one_feature():
    model = IModel(1, [4], 1, net_type="GRUNet", seed=1)
    x = np.linspace(0, 1, 12).reshape(3, 4)
    np.testing.assert_array_equal(model.predict(x), model.predict(x[:, :, None]))


@pytest.mark.parametrize("shape", [(5, 4), (5, 4, 3), (5,), (5, 4, 2, 1)])
def test_gru_wrong_input_shape_is_a_clear_error(shape):
    model = _gru()
    with pytest.raises(ValueError, match=r"\(batch, time_steps, 2\).*got shape"):
        model.predict(np.zeros(shape))


def test_dense_wrong_input_shape_is_a_clear_error():
    with pytest.raises(ValueError, match=r"\(batch, 8\).*got shape \(5, 3\)"):
        _dense().predict(np.zeros((5, 3)))


def test_seed_makes_initial_weights_repeatable():
    a, b, c = _gru(seed=3), _gru(seed=3), _gru(seed=4)
    for wa, wb in zip(a.network.get_weights(), b.network.get_weights()):
        np.testing.assert_array_equal(wa, wb)
    assert not np.array_equal(a.network.get_weights()[0], c.network.get_weights()[0])


@pytest.mark.parametrize("factory, flat", [(_gru, False), (_dense, True)])
def test_short_training_lowers_the_loss(sin_windows, factory, flat):
    tf.keras.utils.set_random_seed(0)
    model = factory()
    model.compile(rate=1e-2, optimizer="Adam", loss_func="MeanSquaredError")
    train, val = sin_windows.train, sin_windows.val
    x_train = train.flat if flat else train.inputs
    x_val = val.flat if flat else val.inputs
    before = model.evaluate(x_train, train.targets, verbose=0)[0]
    history = model.train(x_train, train.targets, validation_data=(x_val, val.targets),
                          epochs=15, mini_batch_size=16, verbose=0)
    after = model.evaluate(x_train, train.targets, verbose=0)[0]
    assert len(history.history["loss"]) == 15
    assert "val_loss" in history.history
    assert after < 0.5 * before
    assert model.network.trained_time["train_time"] > 0


def _dict_weights(config):
    arrays = []
    for layer in config["layers"]:
        arrays += [np.asarray(layer[k], dtype=np.float32)
                   for k in ("kernel", "recurrent_kernel", "bias", "weights", "biases")
                   if k in layer]
    if "output_layer" in config:
        arrays += [np.asarray(config["output_layer"][k], dtype=np.float32)
                   for k in ("kernel", "bias")]
    return arrays


@pytest.mark.parametrize("factory", [_gru, _dense])
def test_to_dict_holds_every_weight(factory):
    model = factory(bias_init="random_normal")
    config = model.to_dict()
    assert config["net_type"] == model.net_type
    assert config["block_size"] == [8, 8]
    weights = model.network.get_weights()
    from_dict = _dict_weights(config)
    assert len(from_dict) == len(weights)
    for a, b in zip(from_dict, weights):
        np.testing.assert_array_equal(a, b)


def test_gru_dict_layout():
    config = _gru().to_dict()
    assert config["gate_order"] == ["z", "r", "h"]
    assert config["reset_after"] is True
    first = config["layers"][0]
    assert np.shape(first["kernel"]) == (2, 24)
    assert np.shape(first["recurrent_kernel"]) == (8, 24)
    assert np.shape(first["bias"]) == (2, 24)
    assert np.shape(config["output_layer"]["kernel"]) == (8, 1)


@pytest.mark.parametrize("factory, shape", [(_gru, (4, 5, 2)), (_dense, (4, 8))])
def test_from_dict_round_trip_is_exact(factory, shape):
    model = factory(bias_init="random_normal")
    x = np.random.default_rng(0).normal(size=shape)
    fresh = IModel(1, [3], 1, net_type="DenseNet")
    fresh.from_dict(model.to_dict())
    assert fresh.net_type == model.net_type
    np.testing.assert_array_equal(fresh.predict(x), model.predict(x))


def test_from_dict_rejects_wrong_weight_shapes():
    config = _gru().to_dict()
    config["layers"][1]["kernel"] = config["layers"][0]["kernel"]
    with pytest.raises(ValueError, match=r"layers\[1\].kernel has shape \(2, 24\)"):
        TensorflowGRUNet.from_dict(config)


def test_gru_dropout_is_active_in_training_only():
    model = IModel(1, [16], 1, net_type="GRUNet", dropout_rate=0.5, seed=0)
    x = np.ones((4, 6, 1), dtype=np.float32)
    inference = [model.network(x, training=False).numpy() for _ in range(2)]
    np.testing.assert_array_equal(inference[0], inference[1])
    training = model.network(x, training=True).numpy()
    assert not np.allclose(training, inference[0])
    assert len(model.network.dropout_layers) == 1
    assert not _gru().network.dropout_layers


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="dropout_rate"):
        IModel(1, [4], 1, net_type="GRUNet", dropout_rate=1.0)
    with pytest.raises(ValueError, match="block_size"):
        IModel(1, [4, 0], 1, net_type="GRUNet")
    with pytest.raises(ValueError, match="activation_func has 1 names, expected 3"):
        IModel(1, [4, 4], 1, activation_func=["tanh"])


def test_compile_names_are_checked():
    model = _dense()
    with pytest.raises(ValueError, match="did you mean 'Adam'"):
        model.compile(optimizer="Adamm")
    with pytest.raises(ValueError, match="unknown loss_func"):
        model.compile(loss_func="MSE_typo")


def test_train_before_compile_is_a_clear_error(sin_windows):
    with pytest.raises(RuntimeError, match="compile"):
        _gru().train(sin_windows.train.inputs, sin_windows.train.targets)


def test_train_checks_targets(sin_windows):
    model = _gru()
    model.compile()
    with pytest.raises(ValueError, match="y_data has 3 samples"):
        model.train(sin_windows.train.inputs, np.zeros(3))
    with pytest.raises(ValueError, match="epochs must be >= 1"):
        model.train(sin_windows.train.inputs, sin_windows.train.targets, epochs=0)


def test_activation_func_on_gru_warns_it_has_no_effect():
    with pytest.warns(UserWarning, match="no effect on a GRUNet"):
        IModel(1, [4], 1, activation_func="relu", net_type="GRUNet")


def test_unknown_keyword_arguments_name_the_accepted_ones():
    with pytest.raises(TypeError, match=r"\['dropout_rate'\] for net_type 'DenseNet'"):
        IModel(1, [4], 1, net_type="DenseNet", dropout_rate=0.1)
    with pytest.raises(TypeError, match=r"\['trainable'\].*'reset_after'"):
        IModel(1, [4], 1, net_type="GRUNet", trainable=False)


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        (dict(weight_init=lambda shape: 0), TypeError, "weight must be a Keras initializer"),
        (dict(bias_init="identity"), ValueError, "biases .identity. cannot initialise a weight of shape \\(1,\\)"),
        (dict(name="a/b"), ValueError, "without '/'"),
        (dict(seed=2**32), ValueError, "seed must be <= 4294967295"),
    ],
)
def test_bad_construction_arguments(kwargs, error, message):
    with pytest.raises(error, match=message):
        IModel(1, [4], 1, net_type="GRUNet", **kwargs)


def test_metrics_that_need_arguments_are_not_offered_by_name():
    from degann.networks import metrics

    assert "MeanIoU" not in metrics.get_all_metric_functions()
    assert "MeanAbsoluteError" in metrics.get_all_metric_functions()
    model = _dense()
    with pytest.raises(ValueError, match="unknown metric 'MeanIoU'"):
        model.compile(metrics=["MeanIoU"])
    with pytest.raises(TypeError, match="metrics must be a list"):
        model.compile(metrics=5)


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        (dict(validation_split=1.5), ValueError, "validation_split must be < 1.0"),
        (dict(validation_split=-0.2), ValueError, "validation_split must be >= 0.0"),
        (dict(callbacks="x"), TypeError, "callbacks must be a list"),
        (dict(verbose="loud"), ValueError, "verbose must be"),
    ],
)
def test_train_arguments_are_checked(sin_windows, kwargs, error, message):
    model = _gru()
    model.compile()
    with pytest.raises(error, match=message):
        model.train(sin_windows.train.inputs, sin_windows.train.targets, **kwargs)


@pytest.mark.parametrize(
    "x, error, message",
    [
        (None, TypeError, "inputs must be an array of numbers, got None"),
        (np.zeros((2, 3, 2)) + 1j, TypeError, "real numbers"),
        (np.full((2, 3, 2), "a"), TypeError, "real numbers"),
        (np.full((2, 3, 2), 1e39), ValueError, "beyond the float32 range"),
        (np.full((2, 3, 2), np.nan), ValueError, "12 NaN"),
    ],
)
def test_predict_refuses_values_it_cannot_use(x, error, message):
    with pytest.raises(error, match=message):
        _gru().predict(x)


def test_evaluate_checks_batch_size(sin_windows):
    model = _gru()
    model.compile()
    with pytest.raises(ValueError, match="batch_size must be >= 1"):
        model.evaluate(sin_windows.train.inputs, sin_windows.train.targets, batch_size=0)


@pytest.mark.parametrize(
    "corrupt, message",
    [
        (lambda c: c["layers"].__setitem__(0, None), r"layers\[0\] must be a dict"),
        (lambda c: c["layers"][1].pop("bias"), r"layers\[1\] is missing key 'bias'"),
        (lambda c: c["output_layer"].pop("kernel"), "output_layer is missing key 'kernel'"),
        (lambda c: c.__setitem__("gate_order", ["h", "r", "z"]), "gate order"),
        (lambda c: c.__setitem__("net_type", "DenseNet"), "net_type 'DenseNet', expected"),
    ],
)
def test_from_dict_names_what_is_wrong(corrupt, message):
    config = _gru().to_dict()
    corrupt(config)
    with pytest.raises(ValueError, match=message):
        TensorflowGRUNet.from_dict(config)


def test_seeded_training_repeats_exactly(sin_windows):
    def run():
        model = IModel(2, [6], 1, net_type="GRUNet", seed=7, dropout_rate=0.2)
        model.compile(rate=1e-2, optimizer="Adam", metrics=[])
        history = model.train(sin_windows.train.inputs, sin_windows.train.targets,
                              validation_split=0.25, epochs=3, mini_batch_size=8, verbose=0)
        return history.history, model.predict(sin_windows.val.inputs), model

    first, second = run(), run()
    assert first[0] == second[0]
    assert "val_loss" in first[0]
    np.testing.assert_array_equal(first[1], second[1])
    assert len(first[2].network.trained_time["epoch_time"]) == 3


def test_seeded_training_draws_a_new_order_each_call(sin_windows):
    model = IModel(2, [6], 1, net_type="GRUNet", seed=7)
    seeds = [model.network.next_shuffle_seed() for _ in range(3)]
    assert len(set(seeds)) == 3
    assert IModel(2, [6], 1, net_type="GRUNet").network.next_shuffle_seed() is None


def test_initializer_giving_nan_is_refused():
    with pytest.raises(ValueError, match="weight .* gives NaN or infinite initial weights"):
        IModel(1, [4], 1, net_type="GRUNet",
               weight_init=tf.keras.initializers.Constant(float("nan")))


@pytest.mark.parametrize("factory, shape", [(_gru, (4, 5, 2)), (_dense, (4, 8))])
def test_apg_file_round_trip_is_exact(tmp_path, factory, shape):
    model = factory(bias_init="random_normal")
    x = np.random.default_rng(0).normal(size=shape)
    model.export_to_file(str(tmp_path / "net"))
    text = (tmp_path / "net.apg").read_text()
    assert text.startswith("# degann ")
    fresh = IModel(1, [2], 1)
    fresh.from_file(str(tmp_path / "net"))
    np.testing.assert_array_equal(fresh.predict(x), model.predict(x))
    assert fresh.to_dict() == model.to_dict()


def test_gru_settings_survive_the_file(tmp_path):
    model = IModel(2, [3, 4], 2, net_type="GRUNet", reset_after=False,
                   return_sequences=True, time_steps=5, dropout_rate=0.25, seed=1)
    model.export_to_file(tmp_path / "gru")
    fresh = IModel(1, [2], 1)
    fresh.from_file(tmp_path / "gru")
    net = fresh.network
    assert (net.reset_after, net.return_sequences, net.time_steps, net.dropout_rate) == (
        False, True, 5, 0.25)
    x = np.random.default_rng(0).normal(size=(3, 5, 2))
    np.testing.assert_array_equal(fresh.predict(x), model.predict(x))


@pytest.mark.parametrize(
    "text, message",
    [
        ("# degann 0.1.0\n", "holds no network description"),
        ("# degann 0.1.0\n{\"net_type\": \"GRUNet\", ", "not a valid .apg file"),
        ("[1, 2]", "does not describe a network"),
    ],
)
def test_malformed_apg_files_are_named(tmp_path, text, message):
    (tmp_path / "bad.apg").write_text(text)
    with pytest.raises(ValueError, match=message):
        IModel(1, [2], 1).from_file(str(tmp_path / "bad"))


def test_truncated_apg_file_is_refused(tmp_path):
    _gru().export_to_file(str(tmp_path / "net"))
    text = (tmp_path / "net.apg").read_text()
    (tmp_path / "cut.apg").write_text(text[: len(text) // 2])
    with pytest.raises(ValueError, match="cut.apg is not a valid .apg file"):
        IModel(1, [2], 1).from_file(str(tmp_path / "cut"))


@pytest.mark.parametrize("settings", [dict(time_steps=4), dict(return_sequences=True)])
def test_gru_sequence_shapes_are_checked(settings):
    model = IModel(1, [3], 1, net_type="GRUNet", seed=0, **settings)
    model.compile()
    with pytest.raises(ValueError, match="got shape"):
        model.train(np.zeros((5, 6, 1)), np.zeros((5, 1)), epochs=1, verbose=0)


def test_return_sequences_trains_on_per_step_targets():
    model = IModel(1, [3], 1, net_type="GRUNet", return_sequences=True, seed=0)
    model.compile(rate=1e-2, optimizer="Adam")
    x = np.linspace(0, 1, 60).reshape(10, 6, 1)
    history = model.train(x, 2 * x[:, :, 0], epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2
    assert model.predict(x).shape == (10, 6, 1)


def test_fast_path_switch_gives_the_same_numbers(sin_windows):
    results = []
    for fast in (True, False):
        model = IModel(2, [6, 6], 1, net_type="GRUNet", seed=4, fast_path=fast)
        model.compile(rate=1e-2, optimizer="Adam", metrics=[])
        history = model.train(sin_windows.train.inputs, sin_windows.train.targets,
                              epochs=2, mini_batch_size=16, verbose=0)
        results.append((history.history["loss"], model.predict(sin_windows.val.inputs)))
    np.testing.assert_allclose(results[0][0], results[1][0], rtol=1e-5)
    np.testing.assert_allclose(results[0][1], results[1][1], rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("entry", ["train", "evaluate", "predict", "feedforward"])
def test_every_entry_point_checks_gru_shapes(entry):
    model = IModel(2, [3], 1, net_type="GRUNet", seed=0)
    model.compile()
    bad = np.zeros((4, 5, 3))
    calls = {
        "train": lambda: model.train(bad, np.zeros((4, 1)), epochs=1, verbose=0),
        "evaluate": lambda: model.evaluate(bad, np.zeros((4, 1)), verbose=0),
        "predict": lambda: model.predict(bad),
        "feedforward": lambda: model.feedforward(bad),
    }
    with pytest.raises(ValueError, match=r"shape \(batch, time_steps, 2\).*got shape \(4, 5, 3\)"):
        calls[entry]()


def test_gru_entry_points_with_validation_and_a_callback(sin_windows):
    model = IModel(2, [4, 4], 1, net_type="GRUNet", seed=0, name="gru")
    model.compile(rate=1e-2, optimizer="Adam")
    seen = []
    callback = tf.keras.callbacks.LambdaCallback(on_epoch_end=lambda e, logs: seen.append(e))
    model.train(sin_windows.train.inputs, sin_windows.train.targets,
                validation_data=(sin_windows.val.inputs, sin_windows.val.targets),
                epochs=3, callbacks=[callback], verbose=0)
    assert seen == [0, 1, 2]
    scores = model.evaluate(sin_windows.val.inputs, sin_windows.val.targets, verbose=0)
    assert len(scores) == 4  # loss, then MSE, MAE and MSLE
    assert model.get_activations == ["tanh", "sigmoid", "linear"]
    assert model.get_name == "gru" and model.get_output_size == 1


def test_seed_and_fast_path_survive_from_dict():
    model = IModel(1, [3], 1, net_type="GRUNet", seed=5, fast_path=False)
    fresh = IModel(1, [2], 1)
    fresh.from_dict(model.to_dict())
    assert (fresh.network.seed, fresh.network.fast_path) == (5, False)


@pytest.mark.parametrize("field, value", [("input_size", "2"), ("reset_after", "no"),
                                          ("block_size", None)])
def test_hand_edited_fields_give_value_errors(field, value):
    config = _gru().to_dict()
    config[field] = value
    with pytest.raises(ValueError, match=field):
        IModel(1, [2], 1).from_dict(config)


def test_unreadable_apg_bytes_name_the_file(tmp_path):
    (tmp_path / "bin.apg").write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(ValueError, match="bin.apg is not a valid .apg file"):
        IModel(1, [2], 1).from_file(str(tmp_path / "bin"))
    (tmp_path / "deep.apg").write_text('{"net_type": "GRUNet", "x": ' + "[" * 100000 + "]" * 100000 + "}")
    with pytest.raises(ValueError, match="deep.apg is not a valid .apg file"):
        IModel(1, [2], 1).from_file(str(tmp_path / "deep"))


def test_shape_errors_show_the_shape_that_was_passed():
    model = IModel(1, [3], 1, net_type="GRUNet", return_sequences=True, seed=0)
    model.compile()
    with pytest.raises(ValueError, match=r"got shape \(3, 1\)$"):
        model.train(np.zeros((3, 6)), np.zeros((3, 1)), epochs=1, verbose=0)
