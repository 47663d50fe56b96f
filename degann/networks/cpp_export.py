"""Dependency-free C++ code for trained networks (DenseNet and GRUNet).

The code is generated from ``to_dict()`` and follows the NumPy reference
(:mod:`degann.networks.reference`) operation by operation, in ``float``.
``path.hpp`` declares, and ``path.cpp`` defines:

- ``float* feedforward(float x_array[])`` (``array_type="[]"``): the result
  lives in a static array inside the function, overwritten by the next call
  (no allocation per call; not thread-safe);
- ``std::vector<float> feedforward(std::vector<float> x)``
  (``array_type="vector"``): the result is a new vector; a wrong input size
  throws ``std::invalid_argument``.

For GRUNet the input is the window flattened step by step,
``x[t * input_size + f]``; the output is ``output_size`` values, or
``time_steps * output_size`` (step by step) with ``return_sequences``. A
streaming state, ``<namespace>::GRUState``, takes one time step at a time
(``reset()``, then ``step(x_t)`` returning the output after that step), for
use inside a simulation loop.

Weights and helpers live in a namespace derived from the file name
(``degann_<name>``), so several exported networks can be compiled together
(each in its own file, with its own ``feedforward`` name if linked into one
program: rename with ``function_name``).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import numpy as np

from degann._io import atomic_write_text
from degann._validation import check_choice, check_int, unknown_name_message

__all__ = ["ARRAY_TYPES", "generate_cpp", "safe_identifier", "write_cpp"]

ARRAY_TYPES = ("[]", "vector")

def safe_identifier(path: str | os.PathLike) -> str:
    """A C++ identifier derived from a path's file name (``degann_<name>``)."""
    stem = Path(os.fspath(path)).name
    name = re.sub(r"[^0-9A-Za-z_]", "_", stem).strip("_") or "network"
    return f"degann_{name}"


def _number(value: float) -> str:
    text = f"{float(np.float32(value)):.9g}"
    if not any(c in text for c in ".e"):
        text += ".0"
    return text + "f"


def _array(name: str, values: Any) -> str:
    flat = np.asarray(values, dtype=np.float32).ravel()
    body = ", ".join(_number(v) for v in flat)
    return f"static const float {name}[{max(len(flat), 1)}] = {{{body}}};"


def _activation(name: str, params: dict | None, var: str = "x") -> str:
    p = params or {}
    x = var
    table = {
        "linear": x,
        "tanh": f"std::tanh({x})",
        "sigmoid": f"1.0f / (1.0f + std::exp(-{x}))",
        "relu": f"({x} > 0.0f ? {x} : 0.0f)",
        "elu": f"({x} > 0.0f ? {x} : std::expm1({x}))",
        "selu": f"1.05070098f * ({x} > 0.0f ? {x} : 1.67326324f * std::expm1({x}))",
        "gelu": f"0.5f * {x} * (1.0f + std::erf({x} * 0.707106781f))",
        "exponential": f"std::exp({x})",
        "hard_sigmoid": f"std::fmin(std::fmax({x} / 6.0f + 0.5f, 0.0f), 1.0f)",
        "swish": f"{x} / (1.0f + std::exp(-{x}))",
        "softplus": f"(std::log1p(std::exp(-std::fabs({x}))) + std::fmax({x}, 0.0f))",
        "softsign": f"{x} / (1.0f + std::fabs({x}))",
        "parabolic": (
            f"({_number(p.get('beta', 0.0))} + (float)(({x} > 0.0f) - ({x} < 0.0f)) * "
            f"std::sqrt(2.0f * {_number(p.get('p', 0.2))} * std::fabs({x})))"
        ),
        "perceptron_threshold": f"({x} >= {_number(p.get('threshold', 1.0))} ? 1.0f : 0.0f)",
    }
    if name not in table:
        raise ValueError(unknown_name_message("activation", name, list(table)))
    return table[name]


def _signature(array_type: str, function_name: str) -> str:
    if array_type == "[]":
        return f"float* {function_name}(float x_array[])"
    return f"std::vector<float> {function_name}(std::vector<float> x)"


def generate_cpp(
    config: dict[str, Any],
    name: str,
    array_type: str = "[]",
    time_steps: int | None = None,
    function_name: str = "feedforward",
    header_name: str | None = None,
) -> tuple[str, str]:
    """Source of the header and of the implementation for a network.

    Parameters
    ----------
    config : dict
        ``to_dict()`` of a DenseNet or GRUNet.
    name : str
        Namespace (a C++ identifier) and include-guard stem.
    array_type : {"[]", "vector"}
        Signature of ``feedforward``.
    time_steps : int, optional
        Window length of a GRUNet whose ``time_steps`` is free.
    function_name : str
        Name of the entry point (default ``feedforward``).
    header_name : str, optional
        File name of the header, for the ``#include`` (default ``name + ".hpp"``).

    Returns
    -------
    (header, source) : tuple of str
    """
    check_choice("array_type", array_type, ARRAY_TYPES)
    if not re.fullmatch(r"[A-Za-z_]\w*", function_name):
        raise ValueError(f"function_name must be a C++ identifier, got {function_name!r}")
    net_type = config.get("net_type")
    if net_type == "DenseNet":
        if time_steps is not None:
            raise ValueError("time_steps: a DenseNet has no time steps; leave it out")
        inputs, outputs, body, extra_decl = _dense(config, name)
    elif net_type == "GRUNet":
        fixed = config.get("time_steps")
        if fixed is not None and time_steps is not None and time_steps != fixed:
            raise ValueError(
                f"time_steps={time_steps} contradicts the network's fixed time_steps={fixed}"
            )
        steps = fixed or time_steps
        if steps is None:
            raise ValueError(
                "time_steps: this GRUNet accepts windows of any length; pass "
                "time_steps=... to export_to_cpp"
            )
        steps = check_int("time_steps", steps, minimum=1)
        inputs, outputs, body, extra_decl = _gru(config, name, steps)
    else:
        raise ValueError(
            f"no C++ exporter for net_type {net_type!r}; exporters exist for DenseNet, GRUNet"
        )
    guard = f"{name.upper()}_HPP"
    layout = (
        f" * Input: {inputs} floats"
        + (f", the window flattened step by step: x[t * {config['input_size']} + f]"
           if net_type == "GRUNet" else "")
        + f".\n * Output: {outputs} float{'s' if outputs != 1 else ''}"
        + (" (one prediction per time step, step by step)"
           if net_type == "GRUNet" and config.get("return_sequences") else "")
        + ".\n"
    )
    result_note = (
        " * Returns a pointer to a static array inside the function: it is\n"
        " * overwritten by the next call (no allocation per call; not thread-safe).\n"
        if array_type == "[]" else
        " * Returns a new vector; throws std::invalid_argument for a wrong input size.\n"
    )
    header = (
        f"// Generated by degann from a trained {net_type}. Do not edit.\n"
        f"#ifndef {guard}\n#define {guard}\n\n"
        + ("#include <vector>\n\n" if array_type == "vector" else "")
        + f"/*\n * {net_type} {config.get('name', '')!s}\n{layout}{result_note} */\n"
        + f"{_signature(array_type, function_name)};\n\n"
        + f"namespace {name} {{\nconstexpr int kInputs = {inputs};\n"
        + f"constexpr int kOutputs = {outputs};\n{extra_decl}}}  // namespace {name}\n\n"
        + f"#endif  // {guard}\n"
    )
    header_name = header_name or f"{name}.hpp"
    if any(c in header_name for c in ('"', "\\", "\n")):
        raise ValueError(f"the header name {header_name!r} cannot be included from C++")
    entry = _entry(array_type, function_name, name, inputs, outputs)
    source = (
        f"// Generated by degann from a trained {net_type}. Do not edit.\n"
        f'#include "{header_name}"\n\n#include <cmath>\n'
        + ("#include <stdexcept>\n#include <vector>\n" if array_type == "vector" else "")
        + f"\nnamespace {name} {{\n{body}}}  // namespace {name}\n\n{entry}"
    )
    return header, source


def _entry(array_type: str, function_name: str, name: str, inputs: int, outputs: int) -> str:
    if array_type == "[]":
        return (
            f"{_signature(array_type, function_name)} {{\n"
            f"    static float result[{outputs}];\n"
            f"    {name}::forward(x_array, result);\n"
            "    return result;\n}\n"
        )
    return (
        f"{_signature(array_type, function_name)} {{\n"
        f"    if (x.size() != {inputs}u) {{\n"
        f'        throw std::invalid_argument("{function_name}: expected {inputs} inputs");\n'
        "    }\n"
        f"    std::vector<float> result({outputs});\n"
        f"    {name}::forward(x.data(), result.data());\n"
        "    return result;\n}\n"
    )


def _matvec(out: str, inp: str, weights: str, n_in: int, n_out: int, bias: str | None) -> str:
    """``out[j] = bias[j] + sum_i inp[i] * weights[i * n_out + j]`` (vectorizable)."""
    init = f"{bias}[j]" if bias else "0.0f"
    return (
        f"    for (int j = 0; j < {n_out}; ++j) {out}[j] = {init};\n"
        f"    for (int i = 0; i < {n_in}; ++i) {{\n"
        f"        const float v = {inp}[i];\n"
        f"        const float* w = {weights} + i * {n_out};\n"
        f"        for (int j = 0; j < {n_out}; ++j) {out}[j] += v * w[j];\n"
        "    }\n"
    )


def _dense(config: dict, name: str) -> tuple[int, int, str, str]:
    layers = config["layers"]
    inputs = int(config["input_size"])
    widths = [int(layer["shape"]) for layer in layers]
    outputs = widths[-1]
    biggest = max(widths)
    lines = []
    for i, layer in enumerate(layers):
        lines.append(_array(f"kW{i}", layer["weights"]))
        lines.append(_array(f"kB{i}", layer["biases"]))
        lines.append(f"static inline float act{i}(float x) {{ return "
                     f"{_activation(layer['activation'], layer.get('decorator_params'))}; }}")
    body = "\n".join(lines) + "\n\n"
    body += "void forward(const float* x, float* y) {\n"
    body += f"    static float a[{biggest}];\n    static float b[{biggest}];\n"
    source, n_in = "x", inputs
    for i, width in enumerate(widths):
        target = "a" if i % 2 == 0 else "b"
        body += _matvec(target, source, f"kW{i}", n_in, width, f"kB{i}")
        body += f"    for (int j = 0; j < {width}; ++j) {target}[j] = act{i}({target}[j]);\n"
        source, n_in = target, width
    body += f"    for (int j = 0; j < {outputs}; ++j) y[j] = {source}[j];\n}}\n"
    return inputs, outputs, body, "void forward(const float* x, float* y);\n"


def _gru(config: dict, name: str, steps: int) -> tuple[int, int, str, str]:
    layers = config["layers"]
    reset_after = bool(config.get("reset_after", True))
    sequences = bool(config.get("return_sequences", False))
    n_input = int(config["input_size"])
    units = [int(np.shape(layer["recurrent_kernel"])[0]) for layer in layers]
    n_out = int(config["output_size"])
    g = _activation(config.get("activation", "tanh"), None)
    s = _activation(config.get("recurrent_activation", "sigmoid"), None)
    lines = [f"static inline float act(float x) {{ return {g}; }}",
             f"static inline float gate(float x) {{ return {s}; }}"]
    for i, layer in enumerate(layers):
        lines.append(_array(f"kK{i}", layer["kernel"]))
        lines.append(_array(f"kR{i}", layer["recurrent_kernel"]))
        bias = np.asarray(layer["bias"], dtype=np.float32)
        if reset_after:
            lines.append(_array(f"kBi{i}", bias[0]))
            lines.append(_array(f"kBr{i}", bias[1]))
        else:
            lines.append(_array(f"kB{i}", bias))
    lines.append(_array("kWo", config["output_layer"]["kernel"]))
    lines.append(_array("kBo", config["output_layer"]["bias"]))
    body = "\n".join(lines) + "\n\n"
    # One GRU step of layer i: h (updated in place) from input x.
    for i, u in enumerate(units):
        n_in = n_input if i == 0 else units[i - 1]
        body += f"static void step{i}(const float* x, float* h) {{\n"
        body += f"    float xw[{3 * u}];\n    float hu[{3 * u}];\n"
        if reset_after:
            body += _matvec("xw", "x", f"kK{i}", n_in, 3 * u, f"kBi{i}")
            body += _matvec("hu", "h", f"kR{i}", u, 3 * u, f"kBr{i}")
            body += (
                f"    for (int j = 0; j < {u}; ++j) {{\n"
                f"        const float z = gate(xw[j] + hu[j]);\n"
                f"        const float r = gate(xw[{u} + j] + hu[{u} + j]);\n"
                f"        const float c = act(xw[{2 * u} + j] + r * hu[{2 * u} + j]);\n"
                "        h[j] = z * h[j] + (1.0f - z) * c;\n    }\n}\n\n"
            )
        else:
            body += _matvec("xw", "x", f"kK{i}", n_in, 3 * u, f"kB{i}")
            body += (
                f"    for (int j = 0; j < {2 * u}; ++j) hu[j] = 0.0f;\n"
                f"    for (int i = 0; i < {u}; ++i) {{\n"
                f"        const float v = h[i];\n        const float* w = kR{i} + i * {3 * u};\n"
                f"        for (int j = 0; j < {2 * u}; ++j) hu[j] += v * w[j];\n    }}\n"
                f"    float z[{u}];\n    float rh[{u}];\n"
                f"    for (int j = 0; j < {u}; ++j) {{\n"
                f"        z[j] = gate(xw[j] + hu[j]);\n"
                f"        rh[j] = gate(xw[{u} + j] + hu[{u} + j]) * h[j];\n    }}\n"
                f"    for (int j = 0; j < {u}; ++j) hu[{2 * u} + j] = 0.0f;\n"
                f"    for (int i = 0; i < {u}; ++i) {{\n"
                f"        const float v = rh[i];\n"
                f"        const float* w = kR{i} + i * {3 * u} + {2 * u};\n"
                f"        for (int j = 0; j < {u}; ++j) hu[{2 * u} + j] += v * w[j];\n    }}\n"
                f"    for (int j = 0; j < {u}; ++j) {{\n"
                f"        const float c = act(xw[{2 * u} + j] + hu[{2 * u} + j]);\n"
                "        h[j] = z[j] * h[j] + (1.0f - z[j]) * c;\n    }\n}\n\n"
            )
    last = units[-1]
    body += "static void output(const float* h, float* y) {\n"
    body += _matvec("y", "h", "kWo", last, n_out, "kBo") + "}\n\n"
    # The state of every layer, and one step through the whole stack.
    body += (
        "void GRUState::reset() {\n"
        + "".join(f"    for (int j = 0; j < {u}; ++j) h{i}[j] = 0.0f;\n"
                  for i, u in enumerate(units))
        + "}\n\nconst float* GRUState::step(const float* x_t) {\n"
        + "".join(f"    step{i}({'x_t' if i == 0 else f'h{i - 1}'}, h{i});\n"
                  for i in range(len(units)))
        + f"    output(h{len(units) - 1}, out);\n    return out;\n}}\n\n"
    )
    outputs = n_out * (steps if sequences else 1)
    body += (
        "void forward(const float* x, float* y) {\n"
        "    static GRUState state;\n    state.reset();\n"
        f"    for (int t = 0; t < {steps}; ++t) {{\n"
        + (f"        const float* o = state.step(x + t * {n_input});\n"
           f"        for (int k = 0; k < {n_out}; ++k) y[t * {n_out} + k] = o[k];\n"
           if sequences else f"        state.step(x + t * {n_input});\n")
        + "    }\n"
        + ("" if sequences else
           f"    for (int k = 0; k < {n_out}; ++k) y[k] = state.out[k];\n")
        + "}\n"
    )
    decl = (
        f"constexpr int kTimeSteps = {steps};\n"
        f"constexpr int kStepInputs = {n_input};\n"
        "// Streaming: reset(), then step(x_t) with kStepInputs floats per time step;\n"
        "// step returns the output after that step (kOutputs / kTimeSteps values with\n"
        "// return_sequences, else kOutputs), valid until the next call.\n"
        "struct GRUState {\n"
        + "".join(f"    float h{i}[{u}] = {{}};\n" for i, u in enumerate(units))
        + f"    float out[{n_out}] = {{}};\n"
        "    void reset();\n    const float* step(const float* x_t);\n};\n"
        "void forward(const float* x, float* y);\n"
    )
    return n_input * steps, outputs, body, decl


def write_cpp(
    config: dict[str, Any],
    path: str | os.PathLike,
    array_type: str = "[]",
    time_steps: int | None = None,
    function_name: str = "feedforward",
) -> tuple[Path, Path]:
    """Write ``path.hpp`` and ``path.cpp`` atomically; return their paths.

    Raises
    ------
    OSError
        If the folder cannot be created or written (the message names it).
    """
    if not isinstance(path, (str, os.PathLike)) or not os.path.basename(os.fspath(path)):
        raise ValueError(f"path must name a file (without extension), got {path!r}")
    base = Path(os.fspath(path))
    name = safe_identifier(base)
    hpp = Path(f"{base}.hpp")
    cpp = Path(f"{base}.cpp")
    header, source = generate_cpp(config, name, array_type, time_steps, function_name,
                                  header_name=hpp.name)
    try:
        base.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(hpp, header)
        atomic_write_text(cpp, source)
    except OSError as error:
        raise OSError(f"cannot write C++ files into {base.parent}: {error}") from error
    return cpp, hpp
