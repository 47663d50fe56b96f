"""DEGANN's ``.apg`` network files: a short text header, then JSON.

The header lines start with ``#`` and name the package and its version; the
rest is the JSON of ``to_dict()``. Reading skips the header and parses JSON
only, so loading a file never runs code. Writing is atomic.
"""

from __future__ import annotations

import json
import os
from typing import Any

from degann._io import atomic_write_text
from degann._version import __version__

__all__ = ["APG_SUFFIX", "dumps", "loads", "read_apg", "write_apg"]

APG_SUFFIX = ".apg"


def dumps(config: dict[str, Any]) -> str:
    """The text of an ``.apg`` file for a network description."""
    header = (
        f"# degann {__version__} network file (.apg)\n"
        f"# net_type: {config.get('net_type')}; the JSON below is IModel.to_dict()\n"
    )
    try:
        body = json.dumps(config, allow_nan=False)
    except ValueError:
        raise ValueError(
            "the network has NaN or infinite weights; it cannot be saved"
        ) from None
    return header + body + "\n"


def loads(text: str, source: str = "<string>") -> dict[str, Any]:
    """Parse the text of an ``.apg`` file (header lines are skipped)."""
    lines = text.splitlines()
    body_start = 0
    while body_start < len(lines) and lines[body_start].startswith("#"):
        body_start += 1
    body = "\n".join(lines[body_start:]).strip()
    if not body:
        raise ValueError(f"{source} holds no network description after its header")
    try:
        config = json.loads(body)
    except (ValueError, RecursionError) as error:
        raise ValueError(f"{source} is not a valid .apg file: {error}") from None
    if not isinstance(config, dict) or "net_type" not in config:
        raise ValueError(f"{source} does not describe a network (no 'net_type')")
    return config


def _apg_path(path: str | os.PathLike) -> str:
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"path must be a str or path-like, got {type(path).__name__}")
    return os.fspath(path) + APG_SUFFIX


def write_apg(path: str | os.PathLike, config: dict[str, Any]) -> str:
    """Write ``config`` to ``path + ".apg"`` atomically; return the file name."""
    target = _apg_path(path)
    atomic_write_text(target, dumps(config))
    return target


def read_apg(path: str | os.PathLike) -> dict[str, Any]:
    """Read the network description stored in ``path + ".apg"``."""
    source = _apg_path(path)
    with open(source, encoding="utf-8") as handle:
        try:
            text = handle.read()
        except UnicodeDecodeError as error:
            raise ValueError(f"{source} is not a valid .apg file: {error}") from None
    return loads(text, source)
