"""Data for the networks: built-in functions, tables and windows.

Data flow: a function (:mod:`degann.datasets.functions`) is sampled into a
:class:`~degann.datasets.tables.Table` with noisy observations and the clean
truth, then split and turned into windows
(:mod:`degann.datasets.sequences`) that feed GRU and dense networks alike.
This package needs NumPy only.
"""

from degann.datasets import functions
from degann.datasets.files import read_csv, read_table, write_csv, write_table
from degann.datasets.pipeline import to_tf_dataset
from degann.datasets.sequences import (
    MODES,
    SplitWindows,
    Windows,
    function_windows,
    make_windows,
    random_split,
    rollout,
    sequence_windows,
    split_windows,
    tail_split,
)
from degann.datasets.tables import Table, add_noise, sample_function

__all__ = [
    "MODES",
    "SplitWindows",
    "Table",
    "Windows",
    "add_noise",
    "function_windows",
    "functions",
    "make_windows",
    "random_split",
    "read_csv",
    "read_table",
    "rollout",
    "sample_function",
    "sequence_windows",
    "split_windows",
    "tail_split",
    "to_tf_dataset",
    "write_csv",
    "write_table",
]
