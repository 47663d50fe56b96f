"""Tables of an expression, or of a trained network, over a grid of variables."""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from degann._validation import check_float
from degann.equations.expressions import parse

__all__ = ["build_table", "equation_solve", "grid", "str_eq_to_params"]

Axes = Sequence[tuple[str, tuple[float, float, float]]]


def str_eq_to_params(variables: dict[str, str]) -> list[tuple[str, tuple[float, float, float]]]:
    """Turn ``{"x": "0, 10, 1"}`` into ``[("x", (0.0, 10.0, 1.0))]``.

    Each value is ``"left, right, step"``.
    """
    if not isinstance(variables, dict):
        raise TypeError(f"variables must be a dict, got {type(variables).__name__}")
    result = []
    for name, text in variables.items():
        parts = str(text).split(",")
        if len(parts) != 3:
            raise ValueError(
                f"variable {name!r} needs 'left, right, step', got {text!r}"
            )
        try:
            left, right, step = (float(p) for p in parts)
        except ValueError:
            raise ValueError(
                f"variable {name!r} needs three numbers 'left, right, step', got {text!r}"
            ) from None
        result.append((name, (left, right, step)))
    return result


def _axis(name: str, bounds: Any) -> np.ndarray:
    if not isinstance(bounds, (tuple, list)) or len(bounds) != 3:
        raise ValueError(f"variable {name!r} needs (left, right, step), got {bounds!r}")
    left = check_float(f"{name} left bound", bounds[0])
    right = check_float(f"{name} right bound", bounds[1], minimum=left)
    step = check_float(f"{name} step", bounds[2], minimum=0.0, min_inclusive=False)
    span = (right - left) / step
    if not np.isfinite(span) or span > 10_000_000:
        raise ValueError(f"variable {name!r} would take more than 10000000 values")
    count = int(np.floor(span + 1e-9)) + 1
    return left + step * np.arange(count)


def grid(axes: Axes) -> tuple[list[str], np.ndarray]:
    """Names and points of the grid of all variables.

    Each variable runs from its left bound to its right bound inclusive, by
    its step. Rows are ordered with the first variable changing fastest.
    """
    if not isinstance(axes, (list, tuple)) or not axes:
        raise ValueError("axes must be a non-empty list of (name, (left, right, step))")
    names = [item[0] for item in axes]
    values = [_axis(name, bounds) for name, bounds in axes]
    mesh = np.meshgrid(*values[::-1], indexing="ij")
    points = np.stack([m.ravel() for m in mesh[::-1]], axis=1)
    return names, points


def equation_solve(eq: str, axes: Axes, debug: bool = False) -> np.ndarray:
    """Table of the expression ``eq`` over the grid of its variables.

    Parameters
    ----------
    eq : str
        Expression of the variables, such as ``"3*x + 2*y + 4*z"`` (see
        :mod:`degann.equations.expressions` for what is allowed).
    axes : list of (name, (left, right, step))
        The variables, for example from :func:`str_eq_to_params`.
    debug : bool
        Kept for DEGANN compatibility; has no effect.

    Returns
    -------
    numpy.ndarray, shape (points, n + 1)
        The variables' columns in the given order, then the value.
    """
    names, points = grid(axes)
    expression = parse(eq, names)
    values = expression.evaluate({name: points[:, i] for i, name in enumerate(names)})
    values = np.broadcast_to(values, (len(points),))
    return np.hstack([points, values[:, None]])


def build_table(network: Any, axes: Axes) -> np.ndarray:
    """Table of a trained network's outputs over the grid of its inputs.

    Returns
    -------
    numpy.ndarray, shape (points, n + k)
        The variables' columns, then the network's ``k`` outputs.
    """
    names, points = grid(axes)
    outputs = np.asarray(network.predict(points))
    return np.hstack([points, outputs.reshape(len(points), -1)])
