"""Single-sample latency of exported C++ against IModel.feedforward and NumPy.

For the report's 5 x 30 GRU (time_steps 10, two features per step) and a
5 x 30 dense network (the same window flattened, 20 inputs), in one process:
the compiled ``feedforward`` timed in a loop inside the compiled program,
``IModel.feedforward`` on one sample (a compiled TensorFlow graph), the
Keras model called eagerly on one sample (how a Keras model is usually
called), and the NumPy reference on one sample.
Run:

    python benchmarks/export_latency.py [--level none|auto|sse|avx|avx512f]

Goal: the compiled GRU at least 100x faster per sample than feedforward.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402

from degann import IModel  # noqa: E402
from degann.networks import cpp_utils, reference  # noqa: E402

TIMER = """
#include <chrono>
#include <cstdio>
#include "net.hpp"
int main() {
    float x[degann_net::kInputs];
    for (int i = 0; i < degann_net::kInputs; ++i) x[i] = 0.01f * (float)i;
    volatile float sink = 0.0f;
    const int warm = 2000, runs = 20000;
    for (int r = 0; r < warm; ++r) { x[0] = 0.001f * (float)(r % 7); sink = sink + feedforward(x)[0]; }
    auto start = std::chrono::steady_clock::now();
    for (int r = 0; r < runs; ++r) { x[0] = 0.001f * (float)(r % 7); sink = sink + feedforward(x)[0]; }
    auto stop = std::chrono::steady_clock::now();
    double ns = std::chrono::duration<double, std::nano>(stop - start).count() / runs;
    std::printf("%.1f\\n", ns);
    return sink == 12345.0f;
}
"""


def _python_latency(call, sample, repeats: int = 300) -> float:
    for _ in range(20):
        call(sample)
    start = time.perf_counter()
    for _ in range(repeats):
        call(sample)
    return (time.perf_counter() - start) / repeats * 1e9


def measure(model: IModel, sample: np.ndarray, level: str, folder: Path) -> dict:
    model.export_to_cpp(str(folder / "net"), time_steps=10)
    (folder / "timer.cpp").write_text(TIMER)
    binary = folder / "timer"
    cpp_utils.compile_cpp([folder / "net.cpp", folder / "timer.cpp"], binary, "g++", level)
    compiled = float(subprocess.run([str(binary)], capture_output=True, text=True,
                                    check=False).stdout.strip())
    config = model.to_dict()
    return {
        "compiled": compiled,
        "feedforward": _python_latency(model.feedforward, sample),
        "eager": _python_latency(lambda s: model.network(s, training=False), sample, 20),
        "numpy": _python_latency(lambda s: reference.forward(config, s), sample),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--level", default="none", choices=cpp_utils.VECTORIZED_LEVELS)
    args = parser.parse_args()
    if shutil.which("g++") is None:
        raise SystemExit("g++ is needed to compile the exported code")
    rng = np.random.default_rng(0)
    networks = {
        "GRUNet 5x30, time_steps 10": (
            IModel(2, [30] * 5, 1, net_type="GRUNet", seed=0, time_steps=10),
            rng.normal(size=(1, 10, 2)).astype(np.float32)),
        "DenseNet 5x30, 20 inputs": (
            IModel(20, [30] * 5, 1, activation_func=["tanh"] * 5 + ["linear"], seed=0),
            rng.normal(size=(1, 20)).astype(np.float32)),
    }
    print(f"vectorized_level {args.level}; nanoseconds per single-sample prediction")
    for name, (model, sample) in networks.items():
        with tempfile.TemporaryDirectory() as tmp:
            times = measure(model, sample, args.level, Path(tmp))
        c = times["compiled"]
        print(f"{name}:\n  compiled C++ {c:,.0f} ns; IModel.feedforward "
              f"{times['feedforward']:,.0f} ns ({times['feedforward'] / c:,.0f}x); Keras "
              f"model called eagerly {times['eager']:,.0f} ns ({times['eager'] / c:,.0f}x); "
              f"NumPy reference {times['numpy']:,.0f} ns ({times['numpy'] / c:,.0f}x)")


if __name__ == "__main__":
    main()
