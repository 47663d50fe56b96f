"""DEGANN 1.1 interface: a 1.1-style script, layers, activations, registries."""

import inspect
import math

import numpy as np
import pytest

tf = pytest.importorskip("tensorflow")

from degann import IModel  # noqa: E402
from degann.equations.simple_equation import build_table  # noqa: E402
from degann.networks import activations, layer_creator, losses, metrics, optimizers  # noqa: E402
from degann.networks import reference  # noqa: E402
from degann.networks.layers.tf_dense import TensorflowDense  # noqa: E402
from degann.networks.topology.tf_densenet import TensorflowDenseNet  # noqa: E402


def test_degann_style_script_runs_and_reloads_exactly(tmp_path):
    rng = np.random.default_rng(0)
    x = rng.uniform(0, 1, size=(200, 2))
    y = np.sin(3 * x[:, :1]) + x[:, 1:] ** 2
    nn = IModel(2, [10, 10], 1, activation_func=["parabolic", "tanh", "linear"],
                decorator_params=[{"beta": 0.1, "p": 0.3}, None, None], seed=0)
    nn.compile(rate=1e-2, optimizer="Adam", loss_func="MaxAbsoluteDeviation")
    history = nn.train(x[:150], y[:150], validation_data=(x[150:], y[150:]),
                       mini_batch_size=16, epochs=3, verbose=0)
    assert len(history.history["loss"]) == 3
    scores = nn.evaluate(x[150:], y[150:], verbose=0)
    assert len(scores) == 4  # loss, MSE, MAE, MSLE
    nn.export_to_file(str(tmp_path / "net"))
    fresh = IModel(1, [1], 1)
    fresh.from_file(str(tmp_path / "net"))
    np.testing.assert_array_equal(fresh.predict(x), nn.predict(x))
    assert fresh.get_activations == ["parabolic", "tanh", "linear"]


def test_imodel_signatures_match_degann():
    params = inspect.signature(IModel.__init__).parameters
    assert list(params)[:10] == ["self", "input_size", "block_size", "output_size",
                                 "activation_func", "weight_init", "bias_init", "name",
                                 "net_type", "is_debug"]
    assert params["activation_func"].default == "sigmoid"
    assert params["net_type"].default == "DenseNet"
    compile_params = inspect.signature(IModel.compile).parameters
    assert compile_params["rate"].default == 1e-2
    assert compile_params["optimizer"].default == "SGD"
    assert compile_params["loss_func"].default == "MeanSquaredError"
    train_params = inspect.signature(IModel.train).parameters
    assert list(train_params)[1:] == ["x_data", "y_data", "validation_split", "validation_data",
                                      "epochs", "mini_batch_size", "callbacks", "verbose"]


def test_names_shapes_and_create_neuron():
    nn = IModel.create_neuron(3, 2, [4, 5], activation="relu", name="first")
    assert isinstance(nn.network, TensorflowDenseNet)
    assert (nn.get_input_size, nn.get_output_size, nn.get_shape) == (3, 2, [4, 5])
    assert nn.get_activations == ["relu", "relu", "relu"]
    nn.set_name("second")
    assert nn.get_name == "second" and "second" in str(nn)
    with pytest.raises(ValueError, match="name"):
        nn.set_name("")


def test_empty_block_size_wires_inputs_to_the_output():
    nn = IModel(3, [], 1, activation_func="linear", seed=0)
    x = np.random.default_rng(1).normal(size=(4, 3))
    layer = nn.network.dense_layers[0]
    expected = x @ np.asarray(layer.w) + np.asarray(layer.b)
    np.testing.assert_allclose(nn.predict(x), expected, rtol=1e-6)


def test_is_debug_writes_a_csv_training_log(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    nn = IModel(1, [2], 1, name="debugged", is_debug=True, seed=0)
    nn.compile()
    nn.train(np.linspace(0, 1, 20), np.linspace(0, 1, 20), epochs=2, verbose=0)
    lines = (tmp_path / "debugged_training_log.csv").read_text().splitlines()
    assert lines[0].startswith("epoch") and len(lines) == 3


def test_degann_constructor_paths():
    net = TensorflowDenseNet(2, [3], activation_func="tanh", weight="ones", biases="zeros",
                             output_size=1)
    np.testing.assert_array_equal(np.asarray(net.dense_layers[0].w), np.ones((2, 3)))
    layer = TensorflowDense(2, 3, "parabolic", "ones", "zeros",
                            decorator_params={"beta": 1.0, "p": 0.5})
    out = layer(np.array([[1.0, 3.0]], dtype=np.float32)).numpy()
    # z = 4 for every unit: 1 + sqrt(2 * 0.5 * 4) = 3.
    np.testing.assert_allclose(out, [[3.0, 3.0, 3.0]])
    assert layer.get_activation == "parabolic"
    copy = layer_creator.from_dict(layer.to_dict())
    np.testing.assert_array_equal(copy(np.ones((1, 2), np.float32)),
                                  layer(np.ones((1, 2), np.float32)))
    assert copy.decorator_params == {"beta": 1.0, "p": 0.5}
    dense = layer_creator.create_dense(4, 2, "relu")
    assert (dense.input_dim, dense.units, dense.activation_name) == (4, 2, "relu")
    with pytest.raises(ValueError, match="unknown layer_type 'Conv'"):
        layer_creator.create(4, 2, layer_type="Conv")


@pytest.mark.parametrize(
    "x, params, expected",
    [
        (4.0, {}, math.sqrt(2 * 0.2 * 4)),
        (-4.0, {}, -math.sqrt(2 * 0.2 * 4)),
        (2.0, {"beta": 1.0, "p": 1.0}, 1 + 2.0),
        (0.0, {"beta": 0.5}, 0.5),
    ],
)
def test_parabolic_values(x, params, expected):
    assert float(activations.get("parabolic")(np.float32(x), **params)) == pytest.approx(
        expected, rel=1e-6)


def test_perceptron_threshold_values():
    f = activations.get("perceptron_threshold")
    np.testing.assert_array_equal(f(np.array([0.5, 1.0, 2.0], np.float32)), [0, 1, 1])
    np.testing.assert_array_equal(f(np.array([0.5, 1.0], np.float32), threshold=0.5), [1, 1])


def test_activation_registry():
    names = activations.get_all_activations()
    for name in ("elu", "relu", "gelu", "selu", "exponential", "linear", "sigmoid",
                 "hard_sigmoid", "swish", "tanh", "softplus", "softsign", "parabolic",
                 "perceptron_threshold"):
        assert name in names
    with pytest.raises(ValueError, match="did you mean 'parabolic'"):
        activations.get("parabolik")
    with pytest.raises(TypeError, match="takes no parameter"):
        IModel(1, [2], 1, activation_func="parabolic", decorator_params={"alpha": 1})
    with pytest.raises(ValueError, match="decorator_params has 1 entries, expected 2"):
        IModel(1, [2], 1, decorator_params=[None])


@pytest.mark.parametrize("activation, params", [
    ("parabolic", {"beta": 0.2, "p": 0.4}), ("perceptron_threshold", {"threshold": 0.1}),
    ("sigmoid", None)])
def test_parameterised_activations_round_trip_and_match_reference(activation, params):
    nn = IModel(2, [4], 1, activation_func=[activation, "linear"],
                decorator_params=[params, None], seed=3)
    x = np.random.default_rng(0).normal(size=(6, 2))
    fresh = IModel.from_dict(nn.to_dict())
    np.testing.assert_array_equal(fresh.predict(x), nn.predict(x))
    np.testing.assert_allclose(nn.predict(x), reference.forward(nn.to_dict(), x),
                               rtol=1e-5, atol=1e-6)


def test_degann_losses_values():
    y = np.array([[1.0], [2.0], [4.0]], np.float32)
    p = np.array([[1.5], [2.0], [3.0]], np.float32)
    value = lambda name: float(losses.get_loss(name)(y, p))  # noqa: E731
    assert value("MaxAbsoluteDeviation") == pytest.approx(1.0)
    assert value("MaxAbsolutePercentageError") == pytest.approx(50.0)
    assert value("RootMeanSquaredError") == pytest.approx(math.sqrt((0.25 + 1) / 3), rel=1e-6)
    # mean 7/3: spread |1-7/3|+|2-7/3|+|4-7/3| = 10/3; errors 1.5.
    assert value("RelativeAbsoluteError") == pytest.approx(1.5 / (10 / 3), rel=1e-6)


@pytest.mark.parametrize("getter, bad, hint", [
    (losses.get_loss, "MeanSquaredErorr", "MeanSquaredError"),
    (metrics.get_metric, "MeanAbsoluteEror", "MeanAbsoluteError"),
    (optimizers.get_optimizer, "RMSProp", "RMSprop"),
])
def test_registry_errors_suggest_names(getter, bad, hint):
    with pytest.raises(ValueError, match=f"did you mean '{hint}'"):
        getter(bad)


def test_registries_list_their_names():
    assert "MaxAbsoluteDeviation" in losses.get_all_loss_functions()
    assert "MeanSquaredError" in losses.get_all_loss_functions()
    assert "MeanAbsoluteError" in metrics.get_all_metric_functions()
    assert "Adam" in optimizers.get_all_optimizers()


def test_build_table_of_a_network():
    nn = IModel(2, [], 1, activation_func="linear", weight_init="ones", bias_init="zeros")
    table = build_table(nn, [("x", (0.0, 1.0, 1.0)), ("y", (0.0, 2.0, 2.0))])
    np.testing.assert_allclose(table, [[0, 0, 0], [1, 0, 1], [0, 2, 2], [1, 2, 3]])
