"""Helpers for exported C++ code: vectorization levels, compiler flags, compiling."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Sequence

from degann._validation import check_choice

__all__ = [
    "VECTORIZED_LEVELS",
    "compile_cpp",
    "compiler_flags",
    "get_available_vectorized_levels",
]

#: Accepted ``vectorized_level`` values.
VECTORIZED_LEVELS = ("none", "auto", "sse", "avx", "avx512f")

_CPU_FLAG = {"sse": "sse4_2", "avx": "avx2", "avx512f": "avx512f"}

_FLAGS = {
    "none": ["-O2"],
    "auto": ["-O3", "-march=native"],
    "sse": ["-O3", "-msse4.2"],
    "avx": ["-O3", "-mavx2", "-mfma"],
    "avx512f": ["-O3", "-mavx512f", "-mfma"],
}


def _cpu_flags() -> set[str]:
    try:
        text = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return set()
    for line in text.splitlines():
        if line.startswith("flags"):
            return set(line.split(":", 1)[1].split())
    return set()


def get_available_vectorized_levels() -> list[str]:
    """The ``vectorized_level`` values this CPU supports.

    ``"none"`` and ``"auto"`` always; ``"sse"`` (SSE4.2), ``"avx"`` (AVX2) and
    ``"avx512f"`` when the processor reports them (read from
    ``/proc/cpuinfo``; on other systems only the first two are listed).
    """
    flags = _cpu_flags()
    return ["none", "auto"] + [level for level, flag in _CPU_FLAG.items() if flag in flags]


def compiler_flags(vectorized_level: str = "none") -> list[str]:
    """Optimisation and instruction-set flags for a vectorization level.

    The generated code is plain C++ whose inner loops the compiler can
    vectorize; the level selects the instruction set it may use.
    """
    check_choice("vectorized_level", vectorized_level, VECTORIZED_LEVELS)
    return list(_FLAGS[vectorized_level])


def compile_cpp(
    sources: Sequence[str | os.PathLike],
    output: str | os.PathLike,
    compiler: str = "g++",
    vectorized_level: str = "none",
    extra_flags: Sequence[str] = (),
    object_only: bool = False,
) -> Path:
    """Compile C++ sources with warnings on; raise with the compiler's message.

    Parameters
    ----------
    sources : list of path
        ``.cpp`` files.
    output : path
        The object file (``object_only``) or executable to write.
    compiler : str
        Compiler command or path (``g++``, ``clang++``, ...).
    vectorized_level : str
        See :data:`VECTORIZED_LEVELS`.
    extra_flags : list of str
        Appended to the command.
    object_only : bool
        Compile to an object file (``-c``) instead of linking.

    Raises
    ------
    ValueError
        If the compiler is not found.
    RuntimeError
        If compilation fails (the message holds the compiler's output).
    """
    found = shutil.which(os.fspath(compiler))
    if found is None:
        raise ValueError(f"path_to_compiler: compiler {compiler!r} not found")
    command = [found, "-std=c++17", "-Wall", "-Wextra", *compiler_flags(vectorized_level)]
    if object_only:
        command.append("-c")
    command += [os.fspath(s) for s in sources] + ["-o", os.fspath(output), *extra_flags]
    process = subprocess.run(command, capture_output=True, text=True)
    if process.returncode != 0:
        raise RuntimeError(
            f"compiling {', '.join(map(os.fspath, sources))} failed:\n{process.stderr}"
        )
    return Path(output)
