"""Helpers for systems of ODEs written as text."""

from __future__ import annotations

import re

__all__ = ["extract_iv", "system_ode_from_string"]

_IV = re.compile(r"^\s*[A-Za-z_]\w*\(([^()]+)\)\s*=\s*(.+?)\s*$")


def system_ode_from_string(system: str) -> list[list[str]]:
    """Split a system into equations: one per line, its parts split on spaces.

    Each line is ``"<right-hand side of y_i'> y_i(x0)=value"``, for example
    ``"y1 y0(0)=1"``; empty lines are skipped.
    """
    if not isinstance(system, str):
        raise TypeError(f"system must be a string, got {type(system).__name__}")
    return [line.split() for line in system.split("\n") if line.strip()]


def extract_iv(eq: str) -> tuple[float, float]:
    """Read an initial value ``"yi(x0)=value"`` as ``(x0, value)``.

    Raises
    ------
    ValueError
        If ``eq`` is not of that form or holds something other than numbers.
    """
    if not isinstance(eq, str):
        raise TypeError(f"initial value must be a string, got {type(eq).__name__}")
    match = _IV.match(eq)
    if not match:
        raise ValueError(f"initial value must look like 'y0(0)=1', got {eq!r}")
    try:
        return float(match.group(1)), float(match.group(2))
    except ValueError:
        raise ValueError(f"initial value {eq!r} must hold numbers") from None
