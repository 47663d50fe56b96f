"""Tables of a function: sampled arguments, noisy observations, clean truth.

A :class:`Table` keeps the noise-free values beside the observed (noisy)
ones, so that a model trained on observations is always scored against the
truth.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from degann._validation import check_array, check_float, check_int, check_seed
from degann.datasets import functions

__all__ = ["MAX_POINTS", "Table", "add_noise", "sample_function"]

#: Largest number of points :func:`sample_function` samples.
MAX_POINTS = 10_000_000


@dataclass(frozen=True)
class Table:
    """A sampled one-variable function.

    Attributes
    ----------
    x : numpy.ndarray, shape (n,)
        Arguments, in increasing order when sampled evenly.
    y : numpy.ndarray, shape (n,)
        Observed values (the clean values plus noise).
    y_clean : numpy.ndarray, shape (n,)
        Noise-free values, used for scoring.
    name : str
        Name of the function the table was sampled from.
    noise : float
        Standard deviation of the Gaussian noise in ``y``.
    """

    x: np.ndarray
    y: np.ndarray
    y_clean: np.ndarray
    name: str = "table"
    noise: float = 0.0

    def __post_init__(self) -> None:
        x = check_array("x", self.x, ndim=1)
        y = check_array("y", self.y, ndim=1)
        y_clean = check_array("y_clean", self.y_clean, ndim=1)
        if not (len(x) == len(y) == len(y_clean)):
            raise ValueError(
                "x, y and y_clean must have the same length, got "
                f"{len(x)}, {len(y)} and {len(y_clean)}"
            )
        if not isinstance(self.name, str):
            raise TypeError(f"name must be a string, got {type(self.name).__name__}")
        object.__setattr__(self, "noise", check_float("noise", self.noise, minimum=0.0))
        object.__setattr__(self, "x", x)
        object.__setattr__(self, "y", y)
        object.__setattr__(self, "y_clean", y_clean)

    def __len__(self) -> int:
        return len(self.x)


def add_noise(y: object, sigma: float, seed: int | None = 0) -> np.ndarray:
    """Return ``y`` plus Gaussian noise of standard deviation ``sigma``.

    Parameters
    ----------
    y : array_like
        Clean values.
    sigma : float
        Absolute standard deviation, ``>= 0``; 0 returns a copy of ``y``.
    seed : int or None
        Seed of the noise generator (same seed, same noise).

    Returns
    -------
    numpy.ndarray
    """
    y = check_array("y", y, allow_empty=True)
    sigma = check_float("sigma", sigma, minimum=0.0)
    seed = check_seed("seed", seed)
    if sigma == 0.0:
        return y.copy()
    rng = np.random.default_rng(seed)
    return y + rng.normal(0.0, sigma, size=y.shape)


def sample_function(
    name: str,
    n_points: int = 1000,
    interval: tuple[float, float] | None = None,
    *,
    noise: float = 0.0,
    seed: int | None = 0,
) -> Table:
    """Sample a one-variable built-in function at evenly spaced points.

    Parameters
    ----------
    name : str
        A name from :func:`degann.datasets.functions.names` with one variable.
    n_points : int
        Number of points, ``>= 2``.
    interval : (float, float), optional
        Closed interval ``(low, high)``; defaults to the function's own.
    noise : float
        Standard deviation of the Gaussian noise added to the observed ``y``.
    seed : int or None
        Seed of the noise.

    Returns
    -------
    Table
    """
    spec = functions.get(name)
    if spec.input_dim != 1:
        raise ValueError(
            f"function {name!r} has {spec.input_dim} variables; "
            "sample_function samples one-variable functions"
        )
    n_points = check_int("n_points", n_points, minimum=2, maximum=MAX_POINTS)
    if interval is None:
        interval = spec.interval
    if not isinstance(interval, (tuple, list)) or len(interval) != 2:
        raise TypeError(f"interval must be a pair (low, high), got {interval!r}")
    low = check_float("interval[0]", interval[0])
    high = check_float("interval[1]", interval[1])
    if not low < high:
        raise ValueError(f"interval must satisfy low < high, got ({low}, {high})")
    noise = check_float("noise", noise, minimum=0.0)
    seed = check_seed("seed", seed)
    x = np.linspace(low, high, n_points)
    with np.errstate(over="ignore", invalid="ignore"):
        y_clean = spec(x)
    if not np.all(np.isfinite(y_clean)):
        raise ValueError(
            f"{name} overflows on interval ({low:g}, {high:g}); choose a smaller interval"
        )
    y = add_noise(y_clean, noise, seed)
    return Table(x=x, y=y, y_clean=y_clean, name=name, noise=float(noise))
