"""Input checks shared by every public entry point.

Each helper raises :class:`ValueError` or :class:`TypeError` with a message
that names the parameter, what it received and what was expected, so every
function of the library fails the same clear way before TensorFlow sees the
input.
"""

from __future__ import annotations

import difflib
import numbers
from typing import Iterable, Sequence

import numpy as np


def _describe(value: object) -> str:
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{text} ({type(value).__name__})"


def check_int(
    name: str,
    value: object,
    *,
    minimum: int | None = None,
    maximum: int | None = None,
) -> int:
    """Return ``value`` as an ``int`` after checking its type and range.

    Parameters
    ----------
    name : str
        Parameter name used in the error message.
    value : object
        The value to check. Booleans are refused; NumPy integers are accepted.
    minimum, maximum : int, optional
        Inclusive bounds.

    Returns
    -------
    int
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {_describe(value)}")
    value = int(value)
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} must be <= {maximum}, got {value}")
    return value


def check_float(
    name: str,
    value: object,
    *,
    minimum: float | None = None,
    maximum: float | None = None,
    min_inclusive: bool = True,
    max_inclusive: bool = True,
) -> float:
    """Return ``value`` as a finite ``float`` after checking its range.

    Parameters
    ----------
    name : str
        Parameter name used in the error message.
    value : object
        A real number (booleans are refused).
    minimum, maximum : float, optional
        Bounds of the accepted interval.
    min_inclusive, max_inclusive : bool
        Whether each bound belongs to the interval.

    Returns
    -------
    float
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {_describe(value)}")
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value}")
    if minimum is not None:
        if value < minimum or (value == minimum and not min_inclusive):
            sign = ">=" if min_inclusive else ">"
            raise ValueError(f"{name} must be {sign} {minimum}, got {value}")
    if maximum is not None:
        if value > maximum or (value == maximum and not max_inclusive):
            sign = "<=" if max_inclusive else "<"
            raise ValueError(f"{name} must be {sign} {maximum}, got {value}")
    return value


def check_choice(name: str, value: object, choices: Iterable[str]) -> str:
    """Check that ``value`` is one of ``choices`` and return it.

    The error message lists the known choices and suggests the closest ones.

    Parameters
    ----------
    name : str
        Parameter name used in the error message.
    value : object
        The value to check; must be a ``str``.
    choices : iterable of str
        The accepted values.

    Returns
    -------
    str
    """
    choices = list(choices)
    if not isinstance(value, str):
        raise TypeError(
            f"{name} must be a string, one of {choices}, got {_describe(value)}"
        )
    if value not in choices:
        raise ValueError(unknown_name_message(name, value, choices))
    return value


def unknown_name_message(name: str, value: str, choices: Sequence[str]) -> str:
    """Build the message for an unknown name, with close matches if any."""
    close = difflib.get_close_matches(value, list(choices), n=3, cutoff=0.5)
    if not close:
        lowered = {c.lower(): c for c in choices}
        close = [lowered[v] for v in difflib.get_close_matches(
            value.lower(), list(lowered), n=3, cutoff=0.5)]
    hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
    return (
        f"unknown {name} {value!r}{hint} "
        f"(known: {', '.join(sorted(choices))})"
    )


#: Largest seed accepted everywhere (NumPy's legacy generators take 32 bits).
MAX_SEED = 2**32 - 1


def check_seed(name: str, value: object) -> int | None:
    """Return a seed: ``None`` or an integer in ``[0, 2**32 - 1]``."""
    if value is None:
        return None
    return check_int(name, value, minimum=0, maximum=MAX_SEED)


def check_bool(name: str, value: object) -> bool:
    """Return ``value`` if it is a ``bool`` (NumPy booleans accepted)."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {_describe(value)}")
    return bool(value)


def check_verbose(name: str, value: object) -> str | int:
    """Keras verbosity: ``"auto"``, 0, 1 or 2."""
    if value == "auto" and isinstance(value, str):
        return value
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value not in (0, 1, 2):
        raise ValueError(f'{name} must be "auto", 0, 1 or 2, got {_describe(value)}')
    return int(value)


def check_int_list(name: str, value: object, *, minimum: int = 1) -> list[int]:
    """Return a list of integers, each ``>= minimum``.

    A single integer is accepted and wrapped in a list.
    """
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        value = [value]
    if not isinstance(value, (list, tuple, np.ndarray)):
        raise TypeError(
            f"{name} must be a list of integers, got {_describe(value)}"
        )
    result = []
    for i, item in enumerate(value):
        result.append(check_int(f"{name}[{i}]", item, minimum=minimum))
    return result


def check_array(
    name: str,
    value: object,
    *,
    ndim: int | Sequence[int] | None = None,
    dtype: type = np.float64,
    allow_empty: bool = False,
) -> np.ndarray:
    """Convert ``value`` to a finite NumPy array and check its dimensions.

    Parameters
    ----------
    name : str
        Parameter name used in the error message.
    value : array_like
        Numbers; NaN and infinities are refused.
    ndim : int or sequence of int, optional
        Accepted numbers of dimensions.
    dtype : type
        Floating type of the returned array.
    allow_empty : bool
        Whether an array with no elements is accepted.

    Returns
    -------
    numpy.ndarray
    """
    if value is None:
        raise TypeError(f"{name} must be an array of numbers, got None")
    try:
        raw = np.asarray(value)
    except (TypeError, ValueError) as error:
        raise TypeError(
            f"{name} must be an array of numbers, got {_describe(value)}"
        ) from error
    if raw.dtype.kind not in "biuf":
        raise TypeError(
            f"{name} must hold real numbers, got an array of dtype {raw.dtype}"
        )
    wide = raw.astype(np.float64)
    if ndim is not None:
        accepted = (ndim,) if isinstance(ndim, int) else tuple(ndim)
        if wide.ndim not in accepted:
            wanted = " or ".join(str(n) for n in accepted)
            raise ValueError(
                f"{name} must have {wanted} dimension(s), "
                f"got shape {wide.shape}"
            )
    if wide.size == 0 and not allow_empty:
        raise ValueError(f"{name} must not be empty, got shape {wide.shape}")
    if not np.all(np.isfinite(wide)):
        bad = int(np.size(wide) - np.count_nonzero(np.isfinite(wide)))
        raise ValueError(f"{name} contains {bad} NaN or infinite value(s)")
    limit = np.finfo(dtype).max
    if wide.size and np.max(np.abs(wide)) > limit:
        raise ValueError(
            f"{name} has values of magnitude up to {np.max(np.abs(wide)):.3g}, "
            f"beyond the {np.dtype(dtype).name} range ({limit:.3g})"
        )
    return wide.astype(dtype, copy=False)
