"""Windowing and splitting, on series small enough to check by hand."""

import numpy as np
import pytest

from degann.datasets import (
    Table,
    add_noise,
    function_windows,
    sample_function,
    sequence_windows,
    split_windows,
)


@pytest.fixture
def ten():
    # x = 0..9 and y = 10 x, so every value tells where it came from.
    x = np.arange(10.0)
    return Table(x=x, y=10 * x, y_clean=10 * x + 0.5)


def test_sequence_windows_alignment(ten):
    w = sequence_windows(ten, 3)
    assert len(w) == 7
    # Window 0: points 0, 1, 2 as (x, y); target y_3.
    np.testing.assert_array_equal(w.inputs[0], [[0, 0], [1, 10], [2, 20]])
    assert w.targets[0, 0] == 30
    assert w.clean_targets[0, 0] == 30.5
    # Last window: points 6, 7, 8; target y_9.
    np.testing.assert_array_equal(w.inputs[-1], [[6, 60], [7, 70], [8, 80]])
    assert w.targets[-1, 0] == 90
    np.testing.assert_array_equal(w.target_index, [3, 4, 5, 6, 7, 8, 9])
    np.testing.assert_array_equal(w.x, [3, 4, 5, 6, 7, 8, 9])


def test_function_windows_alignment(ten):
    w = function_windows(ten, 3)
    assert len(w) == 8
    # Window 0: arguments x_0, x_1, x_2; target y_2.
    np.testing.assert_array_equal(w.inputs[0, :, 0], [0, 1, 2])
    assert w.targets[0, 0] == 20
    np.testing.assert_array_equal(w.inputs[-1, :, 0], [7, 8, 9])
    assert w.targets[-1, 0] == 90
    np.testing.assert_array_equal(w.target_index, np.arange(2, 10))
    assert w.inputs.shape == (8, 3, 1)


def test_function_windows_of_one_step_are_the_classic_table(ten):
    w = function_windows(ten, 1)
    np.testing.assert_array_equal(w.inputs[:, 0, 0], ten.x)
    np.testing.assert_array_equal(w.targets[:, 0], ten.y)


def test_flat_inputs_are_the_same_windows_step_by_step(ten):
    w = sequence_windows(ten, 3)
    np.testing.assert_array_equal(w.flat[1], [1, 10, 2, 20, 3, 30])
    for i in range(len(w)):
        for s in range(3):
            for f in range(2):
                assert w.flat[i, s * 2 + f] == w.inputs[i, s, f]


def test_sequence_without_x(ten):
    w = sequence_windows(ten, 2, include_x=False)
    np.testing.assert_array_equal(w.inputs[0, :, 0], [0, 10])
    assert w.features == 1


def test_tail_split_no_window_straddles(ten):
    s = split_windows(ten, 2, "sequence", val_fraction=0.4)
    boundary = 6  # points 6..9 are validation
    # Every training window reads and predicts points before the boundary.
    assert s.train.inputs[:, :, 0].max() < boundary
    assert s.train.target_index.max() < boundary
    # Every validation window reads and predicts points from the boundary on.
    assert s.val.inputs[:, :, 0].min() >= boundary
    np.testing.assert_array_equal(s.val.target_index, [8, 9])
    np.testing.assert_array_equal(s.train.target_index, [2, 3, 4, 5])
    # Windows with targets 6 and 7 would read points on both sides.
    assert s.dropped == 2


def test_tail_split_on_a_real_series_drops_time_steps_windows():
    table = sample_function("hardsin", 1000, noise=0.01, seed=0)
    s = split_windows(table, 10)
    assert (len(s.train), len(s.val), s.dropped) == (790, 190, 10)
    assert s.train.x.max() < s.val.inputs[:, :, 0].min()


def test_random_split_in_function_mode_is_disjoint_and_seeded(ten):
    a = split_windows(ten, 2, "function", val_fraction=0.3, seed=1)
    b = split_windows(ten, 2, "function", val_fraction=0.3, seed=1)
    assert a.split == "random" and a.dropped == 0
    assert not set(a.train.target_index) & set(a.val.target_index)
    np.testing.assert_array_equal(a.val.target_index, b.val.target_index)
    # Function-mode windows hold arguments only, never observed values.
    assert set(np.unique(a.train.inputs)) <= set(ten.x)


def test_random_split_is_refused_in_sequence_mode(ten):
    with pytest.raises(ValueError, match="split='random' is not allowed"):
        split_windows(ten, 2, "sequence", split="random")


@pytest.mark.parametrize("time_steps", [0, -3])
def test_time_steps_below_one(ten, time_steps):
    with pytest.raises(ValueError, match="time_steps"):
        sequence_windows(ten, time_steps)


def test_time_steps_longer_than_the_series(ten):
    with pytest.raises(ValueError, match="time_steps=10 is too long"):
        sequence_windows(ten, 10)
    with pytest.raises(ValueError, match="validation part"):
        split_windows(ten, 4, "sequence", val_fraction=0.3)


def test_bad_mode_and_fraction(ten):
    with pytest.raises(ValueError, match="unknown mode 'sequense'.*'sequence'"):
        split_windows(ten, 2, "sequense")
    with pytest.raises(ValueError, match="val_fraction"):
        split_windows(ten, 2, val_fraction=1.0)


def test_table_rejects_mismatched_lengths_and_nan():
    with pytest.raises(ValueError, match="same length"):
        Table(x=[1.0, 2.0], y=[1.0], y_clean=[1.0])
    with pytest.raises(ValueError, match="NaN"):
        Table(x=[1.0, np.nan], y=[1.0, 2.0], y_clean=[1.0, 2.0])


def test_noise_is_seeded_and_clean_values_are_kept():
    a = sample_function("hardsin", 2000, noise=0.05, seed=3)
    b = sample_function("hardsin", 2000, noise=0.05, seed=3)
    c = sample_function("hardsin", 2000, noise=0.05, seed=4)
    np.testing.assert_array_equal(a.y, b.y)
    assert not np.array_equal(a.y, c.y)
    np.testing.assert_array_equal(a.y_clean, np.sin(np.sin(10 * a.x) * np.log(a.x)))
    # 2000 draws: the sample standard deviation is within 10 % of sigma.
    assert np.std(a.y - a.y_clean) == pytest.approx(0.05, rel=0.1)
    np.testing.assert_array_equal(add_noise([1.0, 2.0], 0.0), [1.0, 2.0])


def test_windowing_needs_an_increasing_table(ten):
    with pytest.raises(TypeError, match="table must be a degann.datasets.Table"):
        sequence_windows(np.zeros((10, 2)), 2)
    shuffled = Table(x=ten.x[::-1], y=ten.y, y_clean=ten.y_clean)
    with pytest.raises(ValueError, match="strictly increasing"):
        function_windows(shuffled, 2)


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        (dict(interval=5), TypeError, "interval must be a pair"),
        (dict(interval=(0.1, 1, 2)), TypeError, "interval must be a pair"),
        (dict(seed=-1), ValueError, "seed must be >= 0"),
        (dict(seed=1.5), TypeError, "seed must be an integer"),
        (dict(n_points=2.5), TypeError, "n_points must be an integer"),
    ],
)
def test_sample_function_arguments(kwargs, error, message):
    with pytest.raises(error, match=message):
        sample_function("hardsin", **{"n_points": 50, "noise": 0.1, **kwargs})


def test_overflowing_interval_is_named():
    with pytest.raises(ValueError, match="exp overflows on interval"):
        sample_function("exp", 10, (0.0, 300.0))
