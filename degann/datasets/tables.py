"""Tables of a function: sampled arguments, noisy observations, clean truth.

A :class:`Table` keeps the noise-free values beside the observed (noisy)
ones, so that a model trained on observations is always scored against the
truth.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from degann._validation import (
    check_array,
    check_bool,
    check_choice,
    check_float,
    check_int,
    check_seed,
)
from degann.datasets import functions

__all__ = ["MAX_POINTS", "Table", "add_noise", "sample_function"]

#: Largest number of points :func:`sample_function` samples.
MAX_POINTS = 10_000_000


@dataclass(frozen=True)
class Table:
    """A sampled function or trajectory: arguments, observations, clean truth.

    Attributes
    ----------
    x : numpy.ndarray, shape (n,) or (n, d)
        Arguments: one variable (for series, in increasing order) or ``d``.
    y : numpy.ndarray, shape (n,) or (n, k)
        Observed values (the clean values plus noise); ``k`` components for a
        trajectory such as an ODE system's solution.
    y_clean : numpy.ndarray, optional
        Noise-free values of the same shape as ``y``, used for scoring;
        defaults to a copy of ``y`` (data without known truth).
    name : str
        Name of the function or data set.
    noise : float
        Standard deviation of the Gaussian noise in ``y`` (as given; see
        ``noise_relative``).
    noise_relative : bool
        Whether ``noise`` was relative to the standard deviation of the
        clean values.
    """

    x: np.ndarray
    y: np.ndarray
    y_clean: np.ndarray | None = None
    name: str = "table"
    noise: float = 0.0
    noise_relative: bool = False

    def __post_init__(self) -> None:
        x = check_array("x", self.x, ndim=(1, 2))
        y = check_array("y", self.y, ndim=(1, 2))
        y_clean = y.copy() if self.y_clean is None else check_array(
            "y_clean", self.y_clean, ndim=(1, 2))
        if not (len(x) == len(y) == len(y_clean)):
            raise ValueError(
                "x, y and y_clean must have the same length, got "
                f"{len(x)}, {len(y)} and {len(y_clean)}"
            )
        if y_clean.shape != y.shape:
            raise ValueError(
                f"y_clean must have the shape of y {y.shape}, got {y_clean.shape}"
            )
        if not isinstance(self.name, str):
            raise TypeError(f"name must be a string, got {type(self.name).__name__}")
        object.__setattr__(self, "noise", check_float("noise", self.noise, minimum=0.0))
        object.__setattr__(self, "noise_relative", check_bool("noise_relative",
                                                              self.noise_relative))
        object.__setattr__(self, "x", x)
        object.__setattr__(self, "y", y)
        object.__setattr__(self, "y_clean", y_clean)

    def __len__(self) -> int:
        return len(self.x)

    @property
    def n_inputs(self) -> int:
        """Number of argument columns ``d``."""
        return 1 if self.x.ndim == 1 else self.x.shape[1]

    @property
    def n_outputs(self) -> int:
        """Number of value components ``k``."""
        return 1 if self.y.ndim == 1 else self.y.shape[1]

    @property
    def x2d(self) -> np.ndarray:
        """Arguments as ``(n, d)``."""
        return self.x.reshape(len(self), -1)

    @property
    def y2d(self) -> np.ndarray:
        """Observed values as ``(n, k)``."""
        return self.y.reshape(len(self), -1)

    @property
    def y_clean2d(self) -> np.ndarray:
        """Clean values as ``(n, k)``."""
        return self.y_clean.reshape(len(self), -1)

    def take(self, index: np.ndarray) -> "Table":
        """The rows selected by ``index``, as a new table."""
        return replace(self, x=self.x[index], y=self.y[index], y_clean=self.y_clean[index])


def add_noise(
    y: object, sigma: float, seed: int | None = 0, *, relative: bool = False
) -> np.ndarray:
    """Return ``y`` plus Gaussian noise.

    Parameters
    ----------
    y : array_like
        Clean values, ``(n,)`` or ``(n, k)``.
    sigma : float
        Standard deviation, ``>= 0``; 0 returns a copy of ``y``.
    seed : int or None
        Seed of the noise generator (same seed, same noise).
    relative : bool
        If true, ``sigma`` is relative to the standard deviation of ``y``
        (of each column for a 2-D ``y``).

    Returns
    -------
    numpy.ndarray
    """
    y = check_array("y", y, allow_empty=True)
    sigma = check_float("sigma", sigma, minimum=0.0)
    seed = check_seed("seed", seed)
    relative = check_bool("relative", relative)
    if sigma == 0.0:
        return y.copy()
    scale = sigma * (np.std(y, axis=0) if relative else 1.0)
    rng = np.random.default_rng(seed)
    return y + rng.normal(0.0, 1.0, size=y.shape) * scale


def _check_interval(interval: object, dims: int) -> list[tuple[float, float]]:
    pairs = [interval] * dims if (
        isinstance(interval, (tuple, list)) and len(interval) == 2
        and not isinstance(interval[0], (tuple, list))
    ) else interval
    if not isinstance(pairs, (tuple, list)) or len(pairs) != dims:
        raise TypeError(
            f"interval must be a pair (low, high) or {dims} such pairs, got {interval!r}"
        )
    result = []
    for i, pair in enumerate(pairs):
        if not isinstance(pair, (tuple, list)) or len(pair) != 2:
            raise TypeError(f"interval must be a pair (low, high), got {pair!r}")
        low = check_float(f"interval[{i}][0]" if dims > 1 else "interval[0]", pair[0])
        high = check_float(f"interval[{i}][1]" if dims > 1 else "interval[1]", pair[1])
        if not low < high:
            raise ValueError(f"interval must satisfy low < high, got ({low}, {high})")
        result.append((low, high))
    return result


def sample_function(
    name: str,
    n_points: int = 1000,
    interval: object = None,
    *,
    spacing: str = "even",
    noise: float = 0.0,
    noise_relative: bool = False,
    seed: int | None = 0,
) -> Table:
    """Sample a built-in function into a table.

    Parameters
    ----------
    name : str
        A name from :func:`degann.datasets.functions.names`.
    n_points : int
        ``"even"``: points per variable (a one-variable function gets
        ``n_points`` points, a ``d``-variable one a grid of ``n_points ** d``);
        ``"random"``: the number of points.
    interval : (float, float) or list of them, optional
        ``(low, high)`` for every variable, or one pair per variable;
        defaults to the function's own.
    spacing : {"even", "random"}
        Evenly spaced (a grid) or uniformly random points (seeded; sorted for
        one variable).
    noise : float
        Standard deviation of the Gaussian noise added to the observed ``y``.
    noise_relative : bool
        If true, ``noise`` is relative to the standard deviation of the clean
        values.
    seed : int or None
        Seed of the random points and of the noise.

    Returns
    -------
    Table
    """
    spec = functions.get(name)
    spacing = check_choice("spacing", spacing, ("even", "random"))
    n_points = check_int("n_points", n_points, minimum=2, maximum=MAX_POINTS)
    if spacing == "even" and n_points ** spec.input_dim > MAX_POINTS:
        raise ValueError(
            f"n_points={n_points} makes a grid of {n_points ** spec.input_dim} points "
            f"for {spec.input_dim} variables, more than {MAX_POINTS}"
        )
    bounds = _check_interval(spec.interval if interval is None else interval, spec.input_dim)
    noise = check_float("noise", noise, minimum=0.0)
    noise_relative = check_bool("noise_relative", noise_relative)
    seed = check_seed("seed", seed)
    # The noise is drawn from ``seed`` itself; random points from a stream
    # derived from it, so that both are independent and repeatable.
    point_seed = None if seed is None else int(
        np.random.SeedSequence(seed).spawn(1)[0].generate_state(1)[0])
    if spacing == "even":
        axes = [np.linspace(low, high, n_points) for low, high in bounds]
        grid = np.meshgrid(*axes, indexing="ij")
        x = np.stack([g.ravel() for g in grid], axis=-1)
    else:
        rng = np.random.default_rng(point_seed)
        x = np.stack([rng.uniform(low, high, n_points) for low, high in bounds], axis=-1)
        if spec.input_dim == 1:
            x = np.sort(x, axis=0)
    if spec.input_dim == 1:
        x = x[:, 0]
    with np.errstate(over="ignore", invalid="ignore"):
        y_clean = spec(x)
    if not np.all(np.isfinite(y_clean)):
        raise ValueError(f"{name} overflows on interval {bounds}; choose a smaller interval")
    y = add_noise(y_clean, noise, seed, relative=noise_relative)
    return Table(x=x, y=y, y_clean=y_clean, name=name, noise=noise,
                 noise_relative=noise_relative)
