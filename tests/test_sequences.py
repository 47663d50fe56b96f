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


def test_sequence_horizon_and_stride_alignment(ten):
    w = sequence_windows(ten, 3, horizon=2, stride=3)
    # Starts 0, 3 (6 would need points up to 10): read 3 points, predict the next 2.
    np.testing.assert_array_equal(w.target_index, [3, 6])
    np.testing.assert_array_equal(w.inputs[1, :, 0], [3, 4, 5])
    np.testing.assert_array_equal(w.targets, [[30, 40], [60, 70]])
    np.testing.assert_array_equal(w.clean_targets, [[30.5, 40.5], [60.5, 70.5]])
    assert w.horizon == 2
    with pytest.raises(ValueError, match="horizon must be >= 1"):
        sequence_windows(ten, 3, horizon=0)


def test_function_windows_with_past_y(ten):
    w = function_windows(ten, 2, past_y=True)
    # First window: steps 1 and 2, each (x_s, y_{s-1}); target y_2.
    np.testing.assert_array_equal(w.inputs[0], [[1, 0], [2, 10]])
    assert w.targets[0, 0] == 20 and w.target_index[0] == 2
    # The target value never appears in its own window.
    for i, t in enumerate(w.target_index):
        assert ten.y[t] not in w.inputs[i, :, 1]
    with pytest.raises(ValueError, match="not allowed when windows hold observed values"):
        split_windows(ten, 2, "function", split="random", past_y=True)


def test_trajectory_with_two_components():
    # A table like an ODE system's solution: y has columns (y0, y1).
    x = np.arange(6.0)
    y = np.stack([x, -x], axis=1)
    table = Table(x=x, y=y)
    w = sequence_windows(table, 2, horizon=2)
    np.testing.assert_array_equal(w.inputs[0], [[0, 0, 0], [1, 1, -1]])
    # Step by step: (y0, y1) at t, then at t + 1.
    np.testing.assert_array_equal(w.targets[0], [2, -2, 3, -3])
    f = function_windows(table, 2)
    np.testing.assert_array_equal(f.targets[0], [1, -1])


def test_windows_need_one_argument_column():
    table = sample_function("multidim", 3)
    assert table.x.shape == (27, 3)
    with pytest.raises(ValueError, match="one argument column"):
        sequence_windows(table, 2)


def test_sampling_random_points_and_relative_noise():
    a = sample_function("sin", 500, spacing="random", seed=2)
    b = sample_function("sin", 500, spacing="random", seed=2)
    np.testing.assert_array_equal(a.x, b.x)
    assert np.all(np.diff(a.x) > 0) and 0.01 <= a.x.min() and a.x.max() <= 1.0
    assert not np.allclose(a.x, np.linspace(0.01, 1, 500))
    rel = sample_function("exp", 4000, noise=0.1, noise_relative=True, seed=5)
    assert np.std(rel.y - rel.y_clean) == pytest.approx(0.1 * np.std(rel.y_clean), rel=0.1)
    grid = sample_function("multidim", 4, interval=[(0, 1), (0, 2), (0, 3)])
    assert grid.x.shape == (64, 3) and grid.x[:, 2].max() == 3.0


def test_rollout_of_a_perfect_model_reproduces_the_series():
    from degann.datasets import rollout

    table = sample_function("sin", 60, noise=0.05, seed=1)

    def perfect(batch):
        # The true next value: the clean y at the point after the window's last x.
        last_x = batch[0, -1, 0]
        index = int(np.searchsorted(table.x, last_x)) + 1
        return np.array([[table.y_clean[index]]])

    predicted = rollout(perfect, table, 5, start=40)
    np.testing.assert_array_equal(predicted[:, 0], table.y_clean[40:])


def test_rollout_feeds_predictions_back():
    from degann.datasets import rollout

    table = Table(x=np.arange(8.0), y=np.arange(8.0))
    seen = []

    def last_plus_one(batch):
        seen.append(batch.copy())
        return np.array([[batch[0, -1, -1] + 1.0]])

    predicted = rollout(last_plus_one, table, 3, start=4, steps=3)
    np.testing.assert_array_equal(predicted[:, 0], [4, 5, 6])
    # The third window holds the two predictions: y values 3 (observed), 4, 5.
    np.testing.assert_array_equal(seen[2][0, :, 1], [3, 4, 5])
    np.testing.assert_array_equal(seen[2][0, :, 0], [3, 4, 5])
    flat = rollout(lambda b: np.array([[b[0, -1] + 1.0]]), table, 3, start=4, steps=2,
                   include_x=False, flat=True)
    np.testing.assert_array_equal(flat[:, 0], [4, 5])
    with pytest.raises(ValueError, match="start must be >= 3"):
        rollout(last_plus_one, table, 3, start=2)


def test_csv_round_trip_is_exact(tmp_path):
    from degann.datasets import read_csv, read_table, write_csv, write_table

    table = sample_function("hardsin", 50, noise=0.01, seed=0)
    write_table(tmp_path / "t.csv", table)
    back = read_table(tmp_path / "t.csv")
    np.testing.assert_array_equal(back.x, table.x)
    np.testing.assert_array_equal(back.y, table.y)
    first = (tmp_path / "t.csv").read_text().splitlines()[0].split(",")
    assert len(first) == 2 and float(first[0]) == table.x[0]
    inputs, outputs = np.random.default_rng(0).normal(size=(5, 3)), np.arange(10.0).reshape(5, 2)
    write_csv(tmp_path / "m.csv", inputs, outputs)
    x, y = read_csv(tmp_path / "m.csv", n_inputs=3)
    np.testing.assert_array_equal(x, inputs)
    np.testing.assert_array_equal(y, outputs)
    with pytest.raises(ValueError, match="no output column"):
        read_csv(tmp_path / "m.csv", n_inputs=5)
    (tmp_path / "bad.csv").write_text("1,2\n3,abc\n")
    with pytest.raises(ValueError, match="bad.csv is not a table of numbers"):
        read_csv(tmp_path / "bad.csv", n_inputs=1)


def test_tf_dataset_pipeline_batches_every_sample_once():
    pytest.importorskip("tensorflow")
    from degann.datasets import to_tf_dataset

    x = np.arange(10.0).reshape(10, 1)
    dataset = to_tf_dataset(x, 2 * x, batch_size=4, seed=3)
    batches = [(a.numpy(), b.numpy()) for a, b in dataset]
    assert [len(a) for a, _ in batches] == [4, 4, 2]
    seen = np.concatenate([a for a, _ in batches])[:, 0]
    assert sorted(seen) == list(range(10))
    for a, b in batches:
        np.testing.assert_array_equal(b, 2 * a)


@pytest.mark.parametrize("n", [10, 13, 20])
@pytest.mark.parametrize("time_steps, horizon, stride", [(1, 1, 3), (2, 1, 2), (2, 2, 3), (3, 1, 1)])
@pytest.mark.parametrize("val_fraction", [0.2, 0.3, 0.5])
def test_tail_split_counts_straddling_windows_with_any_stride(n, time_steps, horizon, stride,
                                                              val_fraction):
    x = np.arange(float(n))
    table = Table(x=x, y=10 * x)
    boundary = n - int(round(n * val_fraction))
    # Count by hand over the whole series' stride grid.
    starts = range(0, n - time_steps - horizon + 1, stride)
    spans = [(a, a + time_steps + horizon - 1) for a in starts]
    expect_train = [a + time_steps for a, b in spans if b < boundary]
    expect_val = [a + time_steps for a, b in spans if a >= boundary]
    if not expect_train or not expect_val:
        with pytest.raises(ValueError, match="leaves no (training|validation) window"):
            split_windows(table, time_steps, "sequence", val_fraction=val_fraction,
                          horizon=horizon, stride=stride)
        return
    s = split_windows(table, time_steps, "sequence", val_fraction=val_fraction,
                      horizon=horizon, stride=stride)
    assert len(s.train_index) == boundary
    np.testing.assert_array_equal(s.train.target_index, expect_train)
    np.testing.assert_array_equal(s.val.target_index, expect_val)
    assert s.dropped == len(spans) - len(expect_train) - len(expect_val) >= 0


def test_empty_windows_flatten_and_horizon_errors_name_horizon(ten):
    w = sequence_windows(ten, 2).subset(np.zeros(8, bool))
    assert w.flat.shape == (0, 4)
    with pytest.raises(ValueError, match="horizon=9"):
        sequence_windows(ten, 2, horizon=9)
    with pytest.raises(TypeError, match="noise_relative"):
        sample_function("sin", 10, noise_relative=1)
    with pytest.raises(TypeError, match="past_y must be True or False"):
        split_windows(ten, 2, "function", past_y="yes")
