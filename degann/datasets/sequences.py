"""Turning a table into windows that dense and recurrent networks both read.

Two modes:

``"sequence"``
    For each target index ``t`` the input is the ``time_steps`` previous
    points ``(x_s, y_s)``, ``s = t - time_steps, ..., t - 1``, and the target
    is ``y_t``. The network sees the recent history of the series (observed,
    possibly noisy values) and predicts the next value.

``"function"``
    For each target index ``t`` the input is the window of arguments
    ``x_{t - time_steps + 1}, ..., x_t`` and the target is ``y_t``: DEGANN's
    classic ``y = f(x)`` setting, with the neighbouring arguments as context.

Windows are ``(n_windows, time_steps, features)`` arrays for a recurrent
network; :attr:`Windows.flat` gives the very same samples flattened to
``(n_windows, time_steps * features)`` for a dense network, step by step
(``flat[i, s * features + f] == inputs[i, s, f]``).

Splitting happens before windowing, see :func:`split_windows`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from degann._validation import check_bool, check_choice, check_float, check_int, check_seed
from degann.datasets.tables import Table

__all__ = [
    "MODES",
    "SPLITS",
    "SplitWindows",
    "Windows",
    "function_windows",
    "make_windows",
    "random_split",
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
    targets : numpy.ndarray, shape (n, 1)
        Observed (possibly noisy) value at each target index.
    clean_targets : numpy.ndarray, shape (n, 1)
        Noise-free value at each target index, for scoring.
    target_index : numpy.ndarray of int, shape (n,)
        Index of each target in the table.
    x : numpy.ndarray, shape (n,)
        Argument at each target, for plotting.
    """

    inputs: np.ndarray
    targets: np.ndarray
    clean_targets: np.ndarray
    target_index: np.ndarray
    x: np.ndarray

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
        return self.inputs.reshape(len(self), -1)

    def subset(self, mask: np.ndarray) -> "Windows":
        """The windows selected by a boolean mask or an index array."""
        return Windows(
            inputs=self.inputs[mask],
            targets=self.targets[mask],
            clean_targets=self.clean_targets[mask],
            target_index=self.target_index[mask],
            x=self.x[mask],
        )


def _check_table(table: object) -> Table:
    if not isinstance(table, Table):
        raise TypeError(
            f"table must be a degann.datasets.Table, got {type(table).__name__}"
        )
    if len(table) > 1 and not np.all(np.diff(table.x) > 0):
        raise ValueError("table.x must be strictly increasing to be windowed as a series")
    return table


def _check_time_steps(time_steps: int, n_points: int, needed: int) -> int:
    time_steps = check_int("time_steps", time_steps, minimum=1)
    if time_steps + needed > n_points:
        raise ValueError(
            f"time_steps={time_steps} is too long for a series of {n_points} "
            f"points: at most {n_points - needed} fits"
        )
    return time_steps


def sequence_windows(
    table: Table, time_steps: int, *, include_x: bool = True
) -> Windows:
    """Windows of previous points, target the next value (``"sequence"`` mode).

    Parameters
    ----------
    table : Table
        The series, ordered by ``x``.
    time_steps : int
        Number of previous points in each window, ``1 <= time_steps < len(table)``.
    include_x : bool
        If True (default) each step holds ``(x_s, y_s)``; otherwise ``y_s`` only.

    Returns
    -------
    Windows
        ``len(table) - time_steps`` windows; window ``i`` predicts index
        ``i + time_steps`` from indexes ``i, ..., i + time_steps - 1``.
    """
    n = len(_check_table(table))
    time_steps = _check_time_steps(time_steps, n, needed=1)
    include_x = check_bool("include_x", include_x)
    columns = [table.x, table.y] if include_x else [table.y]
    series = np.stack(columns, axis=-1)
    starts = np.arange(n - time_steps)
    steps = starts[:, None] + np.arange(time_steps)[None, :]
    target_index = starts + time_steps
    return Windows(
        inputs=series[steps],
        targets=table.y[target_index, None],
        clean_targets=table.y_clean[target_index, None],
        target_index=target_index,
        x=table.x[target_index],
    )


def function_windows(table: Table, time_steps: int) -> Windows:
    """Windows of arguments ending at the target (``"function"`` mode).

    Parameters
    ----------
    table : Table
        The sampled function, ordered by ``x``.
    time_steps : int
        Number of arguments in each window, ``1 <= time_steps <= len(table)``.

    Returns
    -------
    Windows
        ``len(table) - time_steps + 1`` windows; window ``i`` holds
        ``x_i, ..., x_{i + time_steps - 1}`` and targets index
        ``i + time_steps - 1``. The inputs contain no ``y`` values.
    """
    n = len(_check_table(table))
    time_steps = _check_time_steps(time_steps, n, needed=0)
    starts = np.arange(n - time_steps + 1)
    steps = starts[:, None] + np.arange(time_steps)[None, :]
    target_index = starts + time_steps - 1
    return Windows(
        inputs=table.x[steps][:, :, None],
        targets=table.y[target_index, None],
        clean_targets=table.y_clean[target_index, None],
        target_index=target_index,
        x=table.x[target_index],
    )


def make_windows(table: Table, time_steps: int, mode: str = "sequence") -> Windows:
    """Window a table in the given mode (``"sequence"`` or ``"function"``)."""
    mode = check_choice("mode", mode, MODES)
    if mode == "sequence":
        return sequence_windows(table, time_steps)
    return function_windows(table, time_steps)


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
    """

    train: Windows
    val: Windows
    mode: str
    split: str
    dropped: int


def split_windows(
    table: Table,
    time_steps: int,
    mode: str = "sequence",
    *,
    val_fraction: float = 0.2,
    split: str | None = None,
    seed: int | None = 0,
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

    Returns
    -------
    SplitWindows

    Notes
    -----
    ``"tail"`` splits the points first (the last ``val_fraction`` of the
    series is validation) and then windows each part on its own, so no
    window reads a point of the other part; the ``time_steps`` windows whose
    targets open the validation part are dropped (``dropped``).

    ``"random"`` (DEGANN's interpolation setting) assigns each target point
    to one part at random. It is only allowed in function mode, where a
    window holds arguments ``x`` and no observed ``y``: a training window
    never reads a validation target, so no window is dropped. In sequence
    mode windows hold observed values, so only ``"tail"`` is accepted.
    """
    mode = check_choice("mode", mode, MODES)
    if split is None:
        split = "tail" if mode == "sequence" else "random"
    split = check_choice("split", split, SPLITS)
    n = len(_check_table(table))
    check_int("time_steps", time_steps, minimum=1)
    seed = check_seed("seed", seed)
    if split == "tail":
        train_index, val_index = tail_split(n, val_fraction)
        parts = []
        for name, index in (("training", train_index), ("validation", val_index)):
            part = Table(
                x=table.x[index], y=table.y[index], y_clean=table.y_clean[index],
                name=table.name, noise=table.noise,
            )
            try:
                windows = make_windows(part, time_steps, mode)
            except ValueError as error:
                raise ValueError(
                    f"{error} (the {name} part has {len(part)} of the "
                    f"{n} points)"
                ) from None
            parts.append(
                Windows(
                    inputs=windows.inputs,
                    targets=windows.targets,
                    clean_targets=windows.clean_targets,
                    target_index=windows.target_index + index[0],
                    x=windows.x,
                )
            )
        train, val = parts
        dropped = len(make_windows(table, time_steps, mode)) - len(train) - len(val)
        return SplitWindows(train, val, mode, split, dropped)

    if mode == "sequence":
        raise ValueError(
            "split='random' is not allowed in sequence mode: windows hold "
            "observed values, so a random split would leak validation points "
            "into training windows; use split='tail'"
        )
    train_index, val_index = random_split(n, val_fraction, seed)
    windows = make_windows(table, time_steps, mode)
    is_val = np.isin(windows.target_index, val_index)
    train, val = windows.subset(~is_val), windows.subset(is_val)
    if len(train) == 0 or len(val) == 0:
        raise ValueError(
            f"time_steps={time_steps} leaves no training or no validation "
            f"window in a table of {n} points"
        )
    return SplitWindows(train, val, mode, split, dropped=0)
