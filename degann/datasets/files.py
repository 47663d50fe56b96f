"""Tables as CSV files in DEGANN's layout: input columns, then output columns.

No header; one row per sample; numbers written with full precision (a
written table reads back exactly). Writing is atomic.
"""

from __future__ import annotations

import io
import os

import numpy as np

from degann._io import atomic_write_text
from degann._validation import check_array, check_int
from degann.datasets.tables import Table

__all__ = ["read_csv", "read_table", "write_csv", "write_table"]


def write_csv(path: str | os.PathLike, inputs: object, outputs: object) -> None:
    """Write inputs ``(n,)``/``(n, d)`` and outputs ``(n,)``/``(n, k)`` to a CSV file."""
    x = check_array("inputs", inputs, ndim=(1, 2))
    y = check_array("outputs", outputs, ndim=(1, 2))
    if len(x) != len(y):
        raise ValueError(f"inputs have {len(x)} rows but outputs {len(y)}")
    rows = np.hstack([x.reshape(len(x), -1), y.reshape(len(y), -1)])
    buffer = io.StringIO()
    np.savetxt(buffer, rows, delimiter=",", fmt="%.17g")
    atomic_write_text(path, buffer.getvalue())


def read_csv(path: str | os.PathLike, n_inputs: int) -> tuple[np.ndarray, np.ndarray]:
    """Read a CSV file in DEGANN's layout.

    Parameters
    ----------
    path : str or path-like
        The file.
    n_inputs : int
        Number of leading input columns; the remaining columns are outputs.

    Returns
    -------
    (inputs, outputs) : tuple of numpy.ndarray, each ``(n, columns)``
    """
    n_inputs = check_int("n_inputs", n_inputs, minimum=1)
    try:
        rows = np.loadtxt(path, delimiter=",", ndmin=2, dtype=np.float64)
    except ValueError as error:
        raise ValueError(f"{os.fspath(path)} is not a table of numbers: {error}") from None
    if rows.size == 0:
        raise ValueError(f"{os.fspath(path)} holds no rows")
    if rows.shape[1] <= n_inputs:
        raise ValueError(
            f"{os.fspath(path)} has {rows.shape[1]} columns; with n_inputs={n_inputs} "
            "no output column is left"
        )
    check_array(os.fspath(path), rows)
    return rows[:, :n_inputs], rows[:, n_inputs:]


def write_table(path: str | os.PathLike, table: Table, *, clean: bool = False) -> None:
    """Write a table's ``x`` and observed ``y`` (or ``y_clean``) to a CSV file."""
    if not isinstance(table, Table):
        raise TypeError(f"table must be a degann.datasets.Table, got {type(table).__name__}")
    write_csv(path, table.x, table.y_clean if clean else table.y)


def read_table(path: str | os.PathLike, n_inputs: int = 1, name: str | None = None) -> Table:
    """Read a CSV file into a table (observed and clean values are the same)."""
    x, y = read_csv(path, n_inputs)
    return Table(
        x=x[:, 0] if x.shape[1] == 1 else x,
        y=y[:, 0] if y.shape[1] == 1 else y,
        name=name or os.path.splitext(os.path.basename(os.fspath(path)))[0],
    )
