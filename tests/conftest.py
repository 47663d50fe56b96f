"""Shared fixtures: tiny seeded data sets and quiet TensorFlow logs."""

from __future__ import annotations

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np
import pytest

from degann.datasets import sample_function, split_windows


@pytest.fixture(scope="session")
def sin_windows():
    """Sequence-mode windows of sin(10x) on (0.01, 1]: small and learnable."""
    table = sample_function("sin", 120, noise=0.0, seed=0)
    return split_windows(table, 4, "sequence", val_fraction=0.25)


@pytest.fixture
def rng():
    return np.random.default_rng(12345)
