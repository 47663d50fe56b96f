"""Turning a table into windows that dense and recurrent networks both read.

Two modes, for a series ``(x_s, y_s)`` with ``x`` increasing and ``y`` of
``k`` components (``k = 1`` for a function, more for an ODE system's
trajectory):

``"sequence"``
    For each target index ``t`` the input is the ``time_steps`` previous
    points, each step holding ``(x_s, y_s)`` (or ``y_s`` alone with
    ``include_x=False``), ``s = t - time_steps, ..., t - 1``; the target is
    ``y_t``, or the next ``horizon`` values ``y_t, ..., y_{t + horizon - 1}``.
    The network sees the recent history of the observed series and
    predicts what comes next.

``"function"``
    For each target index ``t`` the input is the window of arguments
    ``x_{t - time_steps + 1}, ..., x_t`` and the target is ``y_t``: DEGANN's
    classic ``y = f(x)`` setting, with the neighbouring arguments as context.
    With ``past_y=True`` each step ``s`` also holds the observed value
    before it, ``y_{s - 1}`` (never ``y_t`` itself).

Windows are ``(n_windows, time_steps, features)`` arrays for a recurrent
network; :attr:`Windows.flat` gives the very same samples flattened to
``(n_windows, time_steps * features)`` for a dense network, step by step
(``flat[i, s * features + f] == inputs[i, s, f]``). Targets are
``(n_windows, horizon * k)``, step by step (``targets[i, h * k + c]`` is
component ``c`` of the ``h``-th value ahead). ``stride`` keeps every
``stride``-th window.

Splitting happens before windowing, see :func:`split_windows`; predicting a
whole stretch step by step from a starting window is :func:`rollout`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Callable

import numpy as np

from degann._validation import (
    check_array,
    check_bool,
    check_choice,
    check_float,
    check_int,
    check_seed,
)
from degann.datasets.tables import Table

__all__ = [
    "MODES",
    "SPLITS",
    "SplitWindows",
    "Windows",
    "function_windows",
    "make_windows",
    "random_split",
    "rollout",
    "sequence_windows",
    "split_windows",
    "tail_split",
]

MODES = ("sequence", "function")
SPLITS = ("tail", "random")


@dataclass(frozen=True)
class Windows:
    """Windowed samples of a table.

    Attributes
    ----------
    inputs : numpy.ndarray, shape (n, time_steps, features)
        Input windows, as a recurrent network reads them.
    targets : numpy.ndarray, shape (n, horizon * k)
        Observed (possibly noisy) values to predict.
    clean_targets : numpy.ndarray, shape (n, horizon * k)
        Noise-free values at the same places, for scoring.
    target_index : numpy.ndarray of int, shape (n,)
        Index in the table of each window's (first) target.
    x : numpy.ndarray, shape (n,)
        Argument at each (first) target, for plotting.
    horizon : int
        Values ahead in each target.
    first_index : numpy.ndarray of int, shape (n,)
        Index in the table of the first point each window reads (its span
        ends at ``target_index + horizon - 1``).
    """

    inputs: np.ndarray
    targets: np.ndarray
    clean_targets: np.ndarray
    target_index: np.ndarray
    x: np.ndarray
    horizon: int = 1
    first_index: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.targets)

    @property
    def time_steps(self) -> int:
        """Length of each window."""
        return self.inputs.shape[1]

    @property
    def features(self) -> int:
        """Number of features per time step."""
        return self.inputs.shape[2]

    @property
    def flat(self) -> np.ndarray:
        """The same windows flattened step by step, for a dense network."""
        return self.inputs.reshape(len(self), self.time_steps * self.features)

    def subset(self, mask: np.ndarray) -> "Windows":
        """The windows selected by a boolean mask or an index array."""
        return replace(
            self,
            inputs=self.inputs[mask],
            targets=self.targets[mask],
            clean_targets=self.clean_targets[mask],
            target_index=self.target_index[mask],
            x=self.x[mask],
            first_index=None if self.first_index is None else self.first_index[mask],
        )


def _check_table(table: object, points: bool = False) -> Table:
    if not isinstance(table, Table):
        raise TypeError(
            f"table must be a degann.datasets.Table, got {type(table).__name__}"
        )
    if points and table.x.ndim == 2:
        return table
    if table.x.ndim != 1:
        raise ValueError(
            f"windows need a series with one argument column; table.x has shape "
            f"{table.x.shape}"
        )
    if len(table) > 1 and not np.all(np.diff(table.x) > 0):
        raise ValueError("table.x must be strictly increasing to be windowed as a series")
    return table


def _check_time_steps(time_steps: int, n_points: int, needed: int,
                      horizon: int | None = None) -> int:
    time_steps = check_int("time_steps", time_steps, minimum=1)
    if time_steps + needed > n_points:
        if horizon is not None and horizon > 1:
            raise ValueError(
                f"time_steps={time_steps} plus horizon={horizon} is too long for a "
                f"series of {n_points} points: they must add up to at most {n_points}"
            )
        raise ValueError(
            f"time_steps={time_steps} is too long for a series of {n_points} "
            f"points: at most {max(n_points - needed, 0)} fits"
        )
    return time_steps


def _windows(table: Table, steps: np.ndarray, columns: np.ndarray, first_target: np.ndarray,
             horizon: int, first_read: np.ndarray) -> Windows:
    ahead = first_target[:, None] + np.arange(horizon)[None, :]
    n = len(first_target)
    return Windows(
        inputs=columns[steps],
        targets=table.y2d[ahead].reshape(n, -1),
        clean_targets=table.y_clean2d[ahead].reshape(n, -1),
        target_index=first_target,
        x=table.x[first_target] if table.x.ndim == 1 else first_target.astype(float),
        horizon=horizon,
        first_index=first_read,
    )


def sequence_windows(
    table: Table,
    time_steps: int,
    *,
    include_x: bool = True,
    horizon: int = 1,
    stride: int = 1,
) -> Windows:
    """Windows of previous points, targets the next values (``"sequence"`` mode).

    Parameters
    ----------
    table : Table
        The series, ordered by ``x``; ``y`` may have several components.
    time_steps : int
        Number of previous points in each window.
    include_x : bool
        If True (default) each step holds ``(x_s, y_s)``; otherwise ``y_s`` only.
    horizon : int
        Number of values ahead to predict (default 1).
    stride : int
        Keep every ``stride``-th window (default 1: all).

    Returns
    -------
    Windows
        Window ``i`` (stride 1) reads indexes ``i, ..., i + time_steps - 1``
        and predicts ``i + time_steps, ..., i + time_steps + horizon - 1``.
    """
    n = len(_check_table(table))
    horizon = check_int("horizon", horizon, minimum=1)
    stride = check_int("stride", stride, minimum=1)
    time_steps = _check_time_steps(time_steps, n, needed=horizon, horizon=horizon)
    include_x = check_bool("include_x", include_x)
    columns = np.hstack([table.x[:, None], table.y2d]) if include_x else table.y2d
    starts = np.arange(0, n - time_steps - horizon + 1, stride)
    steps = starts[:, None] + np.arange(time_steps)[None, :]
    return _windows(table, steps, columns, starts + time_steps, horizon, starts)


def function_windows(
    table: Table, time_steps: int, *, past_y: bool = False, stride: int = 1
) -> Windows:
    """Windows of arguments ending at the target (``"function"`` mode).

    Parameters
    ----------
    table : Table
        The sampled function, ordered by ``x``.
    time_steps : int
        Number of arguments in each window.
    past_y : bool
        If True, each step ``s`` also holds the observed values ``y_{s-1}``
        (all components), so the first window starts one point later.
    stride : int
        Keep every ``stride``-th window (default 1: all).

    A table of several variables (``x`` of shape ``(n, d)``, in any order)
    is windowed point by point: ``time_steps=1``, each window one row of
    ``d`` features (DEGANN's classic table); ``Windows.x`` then holds the
    row index.

    Returns
    -------
    Windows
        Window ``i`` (stride 1, no ``past_y``) holds ``x_i, ...,
        x_{i + time_steps - 1}`` and targets index ``i + time_steps - 1``.
        Without ``past_y`` the inputs contain no observed values.
    """
    n = len(_check_table(table, points=True))
    past_y = check_bool("past_y", past_y)
    stride = check_int("stride", stride, minimum=1)
    shift = 1 if past_y else 0
    time_steps = _check_time_steps(time_steps, n, needed=shift)
    if table.x.ndim == 2 and (time_steps != 1 or past_y):
        raise ValueError(
            "a table of several variables is windowed point by point: use "
            f"time_steps=1 and past_y=False (got time_steps={time_steps}, past_y={past_y})"
        )
    columns = table.x2d
    if past_y:
        previous = np.vstack([np.full((1, table.n_outputs), np.nan), table.y2d[:-1]])
        columns = np.hstack([columns, previous])
    starts = np.arange(shift, n - time_steps + 1, stride)
    steps = starts[:, None] + np.arange(time_steps)[None, :]
    return _windows(table, steps, columns, starts + time_steps - 1, 1, starts - shift)


def make_windows(table: Table, time_steps: int, mode: str = "sequence", **options: Any) -> Windows:
    """Window a table in the given mode (``"sequence"`` or ``"function"``).

    ``options`` go to :func:`sequence_windows` (``include_x``, ``horizon``,
    ``stride``) or :func:`function_windows` (``past_y``, ``stride``).
    """
    mode = check_choice("mode", mode, MODES)
    allowed = {"sequence": ("include_x", "horizon", "stride"),
               "function": ("past_y", "stride")}[mode]
    unknown = sorted(set(options) - set(allowed))
    if unknown:
        raise TypeError(f"unknown option(s) {unknown} for {mode} mode; it takes {list(allowed)}")
    if mode == "sequence":
        return sequence_windows(table, time_steps, **options)
    return function_windows(table, time_steps, **options)


def tail_split(n_points: int, val_fraction: float) -> tuple[np.ndarray, np.ndarray]:
    """Contiguous split: the last ``val_fraction`` of the points is validation.

    Returns
    -------
    (train_index, val_index) : tuple of numpy.ndarray
    """
    n_val = _n_validation(n_points, val_fraction)
    index = np.arange(n_points)
    return index[: n_points - n_val], index[n_points - n_val :]


def random_split(
    n_points: int, val_fraction: float, seed: int | None = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Random split of point indexes; both parts are returned sorted.

    Returns
    -------
    (train_index, val_index) : tuple of numpy.ndarray
    """
    n_val = _n_validation(n_points, val_fraction)
    seed = check_seed("seed", seed)
    order = np.random.default_rng(seed).permutation(n_points)
    return np.sort(order[n_val:]), np.sort(order[:n_val])


def _n_validation(n_points: int, val_fraction: float) -> int:
    n_points = check_int("n_points", n_points, minimum=2)
    val_fraction = check_float(
        "val_fraction", val_fraction, minimum=0.0, maximum=1.0,
        min_inclusive=False, max_inclusive=False,
    )
    n_val = int(round(n_points * val_fraction))
    if n_val < 1 or n_val > n_points - 1:
        raise ValueError(
            f"val_fraction={val_fraction} leaves an empty part of "
            f"{n_points} points"
        )
    return n_val


@dataclass(frozen=True)
class SplitWindows:
    """Training and validation windows built from disjoint parts of a table.

    Attributes
    ----------
    train, val : Windows
        The two sets of windows.
    mode : str
        ``"sequence"`` or ``"function"``.
    split : str
        ``"tail"`` or ``"random"``.
    dropped : int
        Windows lost because they would have straddled the split.
    train_index, val_index : numpy.ndarray
        Indexes of the table's points in each part.
    """

    train: Windows
    val: Windows
    mode: str
    split: str
    dropped: int
    train_index: np.ndarray | None = None
    val_index: np.ndarray | None = None


def split_windows(
    table: Table,
    time_steps: int,
    mode: str = "sequence",
    *,
    val_fraction: float = 0.2,
    split: str | None = None,
    seed: int | None = 0,
    **options: Any,
) -> SplitWindows:
    """Split a table into training and validation windows without leakage.

    Parameters
    ----------
    table : Table
        The sampled series.
    time_steps : int
        Window length.
    mode : {"sequence", "function"}
        Windowing mode (see the module documentation).
    val_fraction : float
        Share of the table's points in the validation part, in (0, 1).
    split : {"tail", "random"}, optional
        How points are assigned to validation. Defaults to ``"tail"`` in
        sequence mode and ``"random"`` in function mode.
    seed : int or None
        Seed of the random split.
    **options
        Windowing options of the mode (``include_x``, ``horizon``,
        ``stride``; ``past_y``, ``stride``).

    Returns
    -------
    SplitWindows

    Notes
    -----
    ``"tail"`` splits the points first (the last ``val_fraction`` of the
    series is validation) and keeps only the windows that read and predict
    points of one part, so no window reads or predicts a point of the other
    part; the windows that would straddle the boundary are counted in
    ``dropped``. With ``stride`` the grid of window starts is the whole
    series', so spacing stays even across the boundary.

    ``"random"`` (DEGANN's interpolation setting) assigns each target point
    to one part at random. It is only allowed when windows hold no observed
    values (function mode without ``past_y``): a training window then never
    reads a validation target, so no window is dropped.
    """
    mode = check_choice("mode", mode, MODES)
    if split is None:
        split = "tail" if mode == "sequence" else "random"
    split = check_choice("split", split, SPLITS)
    n = len(_check_table(table, points=(mode == "function")))
    check_int("time_steps", time_steps, minimum=1)
    seed = check_seed("seed", seed)
    if "past_y" in options:
        options["past_y"] = check_bool("past_y", options["past_y"])
    if split == "tail":
        train_index, val_index = tail_split(n, val_fraction)
        boundary = len(train_index)
        whole = make_windows(table, time_steps, mode, **options)
        last = whole.target_index + whole.horizon - 1
        in_train = last < boundary
        in_val = whole.first_index >= boundary
        train, val = whole.subset(in_train), whole.subset(in_val)
        for name, part, index in (("training", train, train_index),
                                  ("validation", val, val_index)):
            if len(part) == 0:
                raise ValueError(
                    f"time_steps={time_steps} leaves no {name} window: the {name} part "
                    f"has {len(index)} of the {n} points"
                )
        dropped = int(np.count_nonzero(~in_train & ~in_val))
        return SplitWindows(train, val, mode, split, dropped, train_index, val_index)

    if mode == "sequence" or options.get("past_y"):
        raise ValueError(
            "split='random' is not allowed when windows hold observed values "
            "(sequence mode, or past_y=True): a random split would leak "
            "validation points into training windows; use split='tail'"
        )
    train_index, val_index = random_split(n, val_fraction, seed)
    windows = make_windows(table, time_steps, mode, **options)
    is_val = np.isin(windows.target_index, val_index)
    train, val = windows.subset(~is_val), windows.subset(is_val)
    if len(train) == 0 or len(val) == 0:
        raise ValueError(
            f"time_steps={time_steps} leaves no training or no validation "
            f"window in a table of {n} points"
        )
    return SplitWindows(train, val, mode, split, 0, train_index, val_index)


def rollout(
    predict: Callable[[np.ndarray], Any],
    table: Table,
    time_steps: int,
    start: int,
    steps: int | None = None,
    *,
    include_x: bool = True,
    flat: bool = False,
) -> np.ndarray:
    """Predict a stretch of a series step by step, feeding predictions back.

    The first window holds the observed points ``start - time_steps, ...,
    start - 1``; each prediction of the next value (all components) is
    appended to the window, with that point's known ``x``, and the window
    slides on. This shows how one-step errors accumulate, which one-step
    scores hide.

    Parameters
    ----------
    predict : callable or IModel
        A sequence-mode model: maps a batch of windows to next values,
        ``(1, time_steps, features)`` (or ``(1, time_steps * features)`` with
        ``flat=True``) to ``(1, >= k)``; only the first ``k`` outputs (the
        next value) are used. An object with a ``predict`` method is called
        through it.
    table : Table
        The series; its ``x`` gives the arguments of the predicted points.
    time_steps : int
        Window length the model was trained with.
    start : int
        Index of the first predicted point (for the validation part of a
        tail split, the number of training points).
    steps : int, optional
        Number of points to predict; default: up to the end of the table.
    include_x : bool
        Whether the model's windows hold ``x`` (as in ``sequence_windows``).
    flat : bool
        Whether the model reads flattened windows (a dense network).

    Returns
    -------
    numpy.ndarray, shape (steps, k)
        Predictions for indexes ``start, ..., start + steps - 1``.
    """
    n = len(_check_table(table))
    time_steps = check_int("time_steps", time_steps, minimum=1)
    start = check_int("start", start, minimum=time_steps, maximum=n - 1)
    steps = n - start if steps is None else check_int("steps", steps, minimum=1,
                                                      maximum=n - start)
    include_x = check_bool("include_x", include_x)
    flat = check_bool("flat", flat)
    call = predict.predict if hasattr(predict, "predict") else predict
    if not callable(call):
        raise TypeError(f"predict must be callable or have a predict method, got {predict!r}")
    k = table.n_outputs
    values = table.y2d[start - time_steps : start].copy()
    predictions = np.empty((steps, k))
    for i in range(steps):
        index = np.arange(start + i - time_steps, start + i)
        window = np.hstack([table.x[index, None], values]) if include_x else values
        batch = window.reshape(1, -1) if flat else window[None, :, :]
        output = check_array("prediction", call(batch)).reshape(-1)
        if output.size < k:
            raise ValueError(f"the model returned {output.size} values, expected at least {k}")
        predictions[i] = output[:k]
        values = np.vstack([values[1:], predictions[i]])
    return predictions
