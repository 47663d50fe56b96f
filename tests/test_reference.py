"""Keras networks agree with the NumPy reference computed from to_dict()."""

import numpy as np
import pytest

tf = pytest.importorskip("tensorflow")

from degann import IModel  # noqa: E402
from degann.networks import reference  # noqa: E402


@pytest.mark.parametrize("reset_after", [True, False])
@pytest.mark.parametrize("return_sequences", [False, True])
@pytest.mark.parametrize("block_size", [[5], [4, 6, 3]])
def test_gru_matches_reference(reset_after, return_sequences, block_size):
    model = IModel(3, block_size, 2, net_type="GRUNet", reset_after=reset_after,
                   return_sequences=return_sequences, seed=11,
                   weight_init="random_normal", bias_init="random_normal")
    x = np.random.default_rng(5).normal(size=(6, 7, 3))
    expected = reference.forward(model.to_dict(), x)
    got = model.predict(x)
    assert got.shape == expected.shape
    assert got.shape == ((6, 7, 2) if return_sequences else (6, 2))
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(model.feedforward(x).numpy(), expected, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("activation, recurrent_activation",
                         [("relu", "hard_sigmoid"), ("softsign", "sigmoid")])
def test_gru_other_activations_match_reference(activation, recurrent_activation):
    model = IModel(2, [4, 4], 1, net_type="GRUNet", activation=activation,
                   recurrent_activation=recurrent_activation, seed=3,
                   bias_init="random_normal")
    x = np.random.default_rng(1).normal(size=(5, 6, 2))
    np.testing.assert_allclose(model.predict(x), reference.forward(model.to_dict(), x),
                               rtol=1e-5, atol=1e-5)


def test_reset_after_false_is_the_report_equations_by_hand():
    # One unit, one input, one step from h = 0: z, r, h~ written out by hand.
    model = IModel(1, [1], 1, net_type="GRUNet", reset_after=False, seed=0)
    w, u, b = np.array([[0.5, -0.3, 0.8]]), np.array([[0.2, 0.4, -0.6]]), np.array([0.1, 0.2, -0.1])
    model.network.gru_layers[0].set_weights([w, u, b])
    model.network.out_layer.set_weights([np.array([[2.0]]), np.array([0.5])])
    x = 1.5
    z = 1 / (1 + np.exp(-(0.5 * x + 0.1)))
    candidate = np.tanh(0.8 * x - 0.1)
    h = (1 - z) * candidate
    assert model.predict(np.array([[[x]]]))[0, 0] == pytest.approx(2 * h + 0.5, abs=1e-6)


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu", "elu", "selu", "gelu",
                                        "swish", "softplus", "softsign", "hard_sigmoid",
                                        "exponential", "linear"])
def test_dense_matches_reference(activation):
    model = IModel(3, [5, 4], 2, activation_func=activation, seed=2)
    x = np.random.default_rng(2).normal(size=(8, 3))
    np.testing.assert_allclose(model.predict(x), reference.forward(model.to_dict(), x),
                               rtol=1e-5, atol=1e-6)


def test_reference_refuses_unknown_types():
    with pytest.raises(ValueError, match="unknown net_type"):
        reference.forward({"net_type": "LSTMNet"}, np.zeros((1, 1)))
