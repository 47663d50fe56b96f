"""Built-in test functions: DEGANN's nine and the hard function ``hardsin``.

Every function is registered under its name with its input dimension and a
default interval. Functions take NumPy arrays and raise :class:`ValueError`
for arguments outside their domain instead of returning NaN.

Examples
--------
>>> from degann.datasets import functions
>>> spec = functions.get("hardsin")
>>> spec.interval
(0.1, 5.0)
>>> float(spec(1.0))
0.0
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from degann._validation import check_array, unknown_name_message

__all__ = [
    "FunctionSpec",
    "get",
    "names",
    "hardsin",
    "const",
    "lin",
    "exp",
    "log",
    "sin",
    "gauss",
    "hyperbol",
    "sig",
    "multidim",
]


def _as_array(name: str, x: object) -> np.ndarray:
    return check_array(name, x, allow_empty=True)


def hardsin(x: object) -> np.ndarray:
    """The hard test function ``f(x) = sin(ln(x^{sin(10x)}))``, for ``x > 0``.

    Computed as ``sin(sin(10x) * ln(x))``, which is the same value without
    raising ``x`` to a power (the power overflows or loses precision near 0).

    Parameters
    ----------
    x : array_like
        Arguments, all strictly positive.

    Returns
    -------
    numpy.ndarray
        Values of the same shape as ``x``.

    Raises
    ------
    ValueError
        If any ``x <= 0``.
    """
    x = _as_array("x", x)
    if np.any(x <= 0):
        raise ValueError(
            f"hardsin is defined for x > 0 only, got min(x) = {x.min()}"
        )
    return np.sin(np.sin(10.0 * x) * np.log(x))


def const(x: object) -> np.ndarray:
    """``y = 1``."""
    x = _as_array("x", x)
    return np.ones_like(x)


def lin(x: object) -> np.ndarray:
    """``y = 2x``."""
    return 2.0 * _as_array("x", x)


def exp(x: object) -> np.ndarray:
    """``y = e^{3x}``."""
    return np.exp(3.0 * _as_array("x", x))


def log(x: object) -> np.ndarray:
    """``y = ln(x + 1)``, for ``x > -1``."""
    x = _as_array("x", x)
    if np.any(x <= -1):
        raise ValueError(f"log is defined for x > -1 only, got min(x) = {x.min()}")
    return np.log(x + 1.0)


def sin(x: object) -> np.ndarray:
    """``y = sin(10x)``, a solution of ``y'' + 100 y = 0``."""
    return np.sin(10.0 * _as_array("x", x))


def gauss(x: object) -> np.ndarray:
    """``y = e^{-(x - 0.5)^2 / 0.08}``."""
    x = _as_array("x", x)
    return np.exp(-((x - 0.5) ** 2) / 0.08)


def hyperbol(x: object) -> np.ndarray:
    """``y = (x^2 + 0.5) / (x + 0.1)``, for ``x != -0.1``."""
    x = _as_array("x", x)
    if np.any(x == -0.1):
        raise ValueError("hyperbol is not defined at x = -0.1")
    return (x**2 + 0.5) / (x + 0.1)


def sig(x: object) -> np.ndarray:
    """``y = 1 / (1 + e^{-x})``."""
    x = _as_array("x", x)
    return 1.0 / (1.0 + np.exp(-x))


def multidim(x: object) -> np.ndarray:
    """``f(x, y, z) = sin(5x) * log2(1 + y) / sqrt(1 + z)``.

    Parameters
    ----------
    x : array_like, shape (n, 3)
        Columns are the three variables ``x``, ``y`` and ``z``
        (``y > -1``, ``z > -1``).

    Returns
    -------
    numpy.ndarray, shape (n,)
    """
    points = check_array("x", x, ndim=2, allow_empty=True)
    if points.shape[1] != 3:
        raise ValueError(
            f"multidim takes points of shape (n, 3), got shape {points.shape}"
        )
    a, b, c = points[:, 0], points[:, 1], points[:, 2]
    if np.any(b <= -1) or np.any(c <= -1):
        raise ValueError("multidim is defined for y > -1 and z > -1 only")
    return np.sin(5.0 * a) * np.log2(1.0 + b) / np.sqrt(1.0 + c)


@dataclass(frozen=True)
class FunctionSpec:
    """A registered function with its input dimension and default interval.

    Attributes
    ----------
    name : str
        Registry name.
    func : callable
        Maps an array of arguments to an array of values.
    input_dim : int
        Number of variables (1 except for ``multidim``).
    interval : tuple of float
        Default sampling interval ``(low, high)`` of every variable.
    formula : str
        The formula, for reports.
    """

    name: str
    func: Callable[[object], np.ndarray]
    input_dim: int
    interval: tuple[float, float]
    formula: str

    def __call__(self, x: object) -> np.ndarray:
        return self.func(x)


# DEGANN samples its functions on (0, 1]; 0.01 stands in for the open end.
_UNIT = (0.01, 1.0)

_REGISTRY: dict[str, FunctionSpec] = {
    spec.name: spec
    for spec in (
        FunctionSpec("const", const, 1, _UNIT, "y = 1"),
        FunctionSpec("lin", lin, 1, _UNIT, "y = 2x"),
        FunctionSpec("exp", exp, 1, _UNIT, "y = e^(3x)"),
        FunctionSpec("log", log, 1, _UNIT, "y = ln(x + 1)"),
        FunctionSpec("sin", sin, 1, _UNIT, "y = sin(10x)"),
        FunctionSpec("gauss", gauss, 1, _UNIT, "y = e^(-(x - 0.5)^2 / 0.08)"),
        FunctionSpec("hyperbol", hyperbol, 1, _UNIT, "y = (x^2 + 0.5) / (x + 0.1)"),
        FunctionSpec("sig", sig, 1, _UNIT, "y = 1 / (1 + e^(-x))"),
        FunctionSpec(
            "multidim", multidim, 3, _UNIT, "f = sin(5x) log2(1 + y) / sqrt(1 + z)"
        ),
        FunctionSpec("hardsin", hardsin, 1, (0.1, 5.0), "y = sin(ln(x^sin(10x)))"),
    )
}


def names() -> list[str]:
    """Names of all registered functions, in registration order."""
    return list(_REGISTRY)


def get(name: str) -> FunctionSpec:
    """Look a function up by name.

    Raises
    ------
    ValueError
        For an unknown name; the message lists close matches and all names.
    """
    if not isinstance(name, str):
        raise TypeError(f"function name must be a string, got {type(name).__name__}")
    try:
        return _REGISTRY[name]
    except KeyError:
        raise ValueError(unknown_name_message("function", name, names())) from None
