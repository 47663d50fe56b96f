"""Systems of first-order ODEs (Cauchy problems) solved with SciPy into tables."""

from __future__ import annotations

from typing import Sequence

import numpy as np

from degann._validation import check_array, check_int
from degann.equations.equation_utils import extract_iv
from degann.equations.expressions import parse

__all__ = ["SystemODE"]


class SystemODE:
    """A system ``y_i' = f_i(t, y_0, ..., y_{n-1})`` with initial values.

    Right-hand sides are expressions of ``y0 .. y{n-1}`` and of the
    independent variable ``t`` (also written ``x``), parsed by a whitelist
    (see :mod:`degann.equations.expressions`).

    Parameters
    ----------
    debug : bool
        Kept for DEGANN compatibility; has no effect.

    Examples
    --------
    >>> from degann.equations.equation_utils import system_ode_from_string
    >>> ode = SystemODE()
    >>> ode.prepare_equations(2, system_ode_from_string("y1 y0(0)=0\\n-y0 y1(0)=1"))
    >>> ode.solve((0, 1), 11)
    >>> ode.build_table().shape
    (11, 3)
    """

    def __init__(self, debug: bool = False) -> None:
        self._debug = debug
        self._functions = []
        self._initial_values: list[float] = []
        self._size = 0
        self._solution = None

    def prepare_equations(self, n: int, equations: Sequence[Sequence[str]]) -> None:
        """Parse ``n`` equations ``[right-hand side, "yi(x0)=value"]``."""
        self._size = check_int("n", n, minimum=1)
        if not isinstance(equations, (list, tuple)) or len(equations) != n:
            raise ValueError(f"equations must list {n} equations, got {equations!r:.80}")
        names = [f"y{i}" for i in range(n)] + ["t", "x"]
        self._functions, self._initial_values = [], []
        for i, equation in enumerate(equations):
            if not isinstance(equation, (list, tuple)) or len(equation) != 2:
                raise ValueError(
                    f"equation {i} must be [right-hand side, 'y{i}(x0)=value'], got {equation!r}"
                )
            self._functions.append(parse(equation[0], names))
            self._initial_values.append(extract_iv(equation[1])[1])
        self._solution = None

    def _rhs(self, t: float, y: np.ndarray) -> list[float]:
        values = {f"y{i}": y[i] for i in range(self._size)}
        values["t"] = values["x"] = t
        return [float(f.evaluate(values)) for f in self._functions]

    def solve(self, interval: tuple[float, float], points: int | Sequence[float] | None = None) -> None:
        """Solve on ``interval`` with SciPy's LSODA (rtol 1e-8, atol 1e-10).

        Parameters
        ----------
        interval : (float, float)
            Start and end of the independent variable; the initial values
            are taken at the start.
        points : int or list of float, optional
            Number of evenly spaced output points, or the points themselves;
            ``None`` keeps the solver's own steps.
        """
        from scipy.integrate import solve_ivp

        if not self._functions:
            raise RuntimeError("call prepare_equations() before solve()")
        bounds = check_array("interval", interval, ndim=1)
        if bounds.shape != (2,) or not bounds[0] < bounds[1]:
            raise ValueError(f"interval must be (start, end) with start < end, got {interval!r}")
        t_eval = None
        if points is not None:
            if isinstance(points, (list, tuple, np.ndarray)):
                t_eval = check_array("points", points, ndim=1)
            else:
                t_eval = np.linspace(bounds[0], bounds[1], check_int("points", points, minimum=2))
        solution = solve_ivp(self._rhs, tuple(bounds), self._initial_values,
                             t_eval=t_eval, method="LSODA", rtol=1e-8, atol=1e-10)
        if not solution.success:
            raise ValueError(f"the solver failed: {solution.message}")
        self._solution = solution

    def build_table(self, eq_num: int | Sequence[int] | None = None) -> np.ndarray:
        """Table of the solution: ``t``, then the components (all, or ``eq_num``).

        Returns an empty array before :meth:`solve`.
        """
        if self._solution is None:
            return np.array([])
        y = self._solution.y
        if eq_num is not None:
            index = [eq_num] if isinstance(eq_num, int) else list(eq_num)
            for i in index:
                check_int("eq_num", i, minimum=0, maximum=self._size - 1)
            y = y[index, :]
        return np.vstack([self._solution.t, *y]).T
