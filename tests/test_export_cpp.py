"""Exported C++ reproduces the NumPy reference (compiled with g++ when present)."""

import shutil
import subprocess

import numpy as np
import pytest

tf = pytest.importorskip("tensorflow")

from degann import IModel  # noqa: E402
from degann.networks import cpp_utils, reference  # noqa: E402
from degann.networks.cpp_export import safe_identifier  # noqa: E402

GXX = shutil.which("g++")
needs_gxx = pytest.mark.skipif(GXX is None, reason="g++ is not installed")

MAIN = """
#include <cstdio>
#include <vector>
#include "{header}"
int main() {{
    std::vector<float> x({ns}::kInputs);
    int rows = 0;
    if (std::scanf("%d", &rows) != 1) return 1;
    for (int r = 0; r < rows; ++r) {{
        for (int i = 0; i < {ns}::kInputs; ++i) if (std::scanf("%f", &x[i]) != 1) return 1;
        {call}
        for (int i = 0; i < {ns}::kOutputs; ++i) std::printf("%.9g ", y[i]);
        std::printf("\\n");
    }}
    return 0;
}}
"""


def _run(model, tmp_path, x, array_type="[]", level="none", name="net", **kwargs):
    base = tmp_path / name
    model.export_to_cpp(str(base), array_type=array_type, **kwargs)
    ns = safe_identifier(base)
    call = ("float* y = feedforward(x.data());" if array_type == "[]"
            else "std::vector<float> y = feedforward(x);")
    (tmp_path / "main.cpp").write_text(MAIN.format(header=f"{base.name}.hpp", ns=ns, call=call))
    binary = tmp_path / "a.out"
    cpp_utils.compile_cpp([f"{base}.cpp", tmp_path / "main.cpp"], binary, "g++", level,
                          extra_flags=["-Werror"])
    flat = x.reshape(len(x), -1)
    text = f"{len(flat)}\n" + "\n".join(" ".join(f"{v:.9g}" for v in row) for row in flat)
    out = subprocess.run([str(binary)], input=text, capture_output=True, text=True, check=True)
    return np.array([[float(v) for v in line.split()] for line in out.stdout.splitlines()])


@needs_gxx
@pytest.mark.parametrize("reset_after", [True, False])
@pytest.mark.parametrize("return_sequences", [False, True])
@pytest.mark.parametrize("block_size", [[4], [5, 3, 4]])
def test_gru_export_matches_reference(tmp_path, reset_after, return_sequences, block_size):
    model = IModel(2, block_size, 2, net_type="GRUNet", reset_after=reset_after,
                   return_sequences=return_sequences, seed=4, weight_init="random_normal",
                   bias_init="random_normal")
    x = np.random.default_rng(1).normal(size=(5, 6, 2))
    got = _run(model, tmp_path, x, time_steps=6)
    expected = reference.forward(model.to_dict(), x).reshape(len(x), -1)
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)


@needs_gxx
@pytest.mark.parametrize("activation, params", [
    ("sigmoid", None), ("tanh", None), ("relu", None), ("elu", None), ("selu", None),
    ("gelu", None), ("swish", None), ("softplus", None), ("softsign", None),
    ("hard_sigmoid", None), ("exponential", None), ("linear", None),
    ("parabolic", {"beta": 0.2, "p": 0.4}), ("perceptron_threshold", {"threshold": 0.3})])
def test_dense_export_matches_reference(tmp_path, activation, params):
    model = IModel(3, [5, 4], 2, activation_func=[activation, activation, "linear"],
                   decorator_params=[params, params, None], seed=2, bias_init="random_normal")
    x = np.random.default_rng(2).normal(size=(6, 3))
    got = _run(model, tmp_path, x, array_type="vector")
    np.testing.assert_allclose(got, reference.forward(model.to_dict(), x), rtol=1e-5, atol=1e-6)


@needs_gxx
def test_every_vectorized_level_gives_the_same_outputs(tmp_path):
    model = IModel(2, [6, 6], 1, net_type="GRUNet", seed=0, bias_init="random_normal")
    x = np.random.default_rng(3).normal(size=(4, 5, 2))
    expected = reference.forward(model.to_dict(), x)
    for level in cpp_utils.get_available_vectorized_levels():
        got = _run(model, tmp_path, x, level=level, time_steps=5)
        np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6, err_msg=level)


@needs_gxx
def test_streaming_state_equals_the_window_function(tmp_path):
    model = IModel(2, [4, 3], 1, net_type="GRUNet", seed=5, time_steps=4,
                   bias_init="random_normal")
    model.export_to_cpp(str(tmp_path / "stream"))
    (tmp_path / "main.cpp").write_text("""
#include <cstdio>
#include "stream.hpp"
int main() {
    float x[8] = {0.1f, -0.2f, 0.3f, 0.4f, -0.5f, 0.6f, 0.7f, -0.8f};
    degann_stream::GRUState state;
    state.reset();
    const float* out = nullptr;
    for (int t = 0; t < 4; ++t) out = state.step(x + 2 * t);
    std::printf("%.9g %.9g\\n", out[0], feedforward(x)[0]);
    return 0;
}
""")
    cpp_utils.compile_cpp([tmp_path / "stream.cpp", tmp_path / "main.cpp"], tmp_path / "s",
                          extra_flags=["-Werror"])
    streamed, whole = subprocess.run([str(tmp_path / "s")], capture_output=True, text=True,
                                     check=True).stdout.split()
    expected = reference.forward(model.to_dict(),
                                 np.array([0.1, -0.2, 0.3, 0.4, -0.5, 0.6, 0.7, -0.8]
                                          ).reshape(1, 4, 2))[0, 0]
    assert float(streamed) == float(whole)
    assert float(whole) == pytest.approx(expected, rel=1e-5, abs=1e-6)


@needs_gxx
def test_path_to_compiler_builds_an_object_and_names_are_safe(tmp_path):
    model = IModel(1, [2], 1, seed=0)
    folder = tmp_path / "sub dir"
    written = model.export_to_cpp(str(folder / "9 my-net"), path_to_compiler="g++")
    assert [p.name for p in written] == ["9 my-net.cpp", "9 my-net.hpp", "9 my-net.o"]
    assert "namespace degann_9_my_net" in (folder / "9 my-net.hpp").read_text()
    assert written[2].stat().st_size > 0


def test_export_errors_name_the_problem(tmp_path):
    model = IModel(1, [2], 1, seed=0)
    with pytest.raises(ValueError, match="unknown vectorized_level 'avx9'"):
        model.export_to_cpp(str(tmp_path / "n"), vectorized_level="avx9")
    with pytest.raises(ValueError, match="unknown array_type"):
        model.export_to_cpp(str(tmp_path / "n"), array_type="list")
    with pytest.raises(OSError, match="/proc"):
        model.export_to_cpp("/proc/nope/net")
    with pytest.raises(ValueError, match="compiler 'no-such-c\\+\\+' not found"):
        model.export_to_cpp(str(tmp_path / "n"), path_to_compiler="no-such-c++")
    gru = IModel(1, [2], 1, net_type="GRUNet", seed=0)
    with pytest.raises(ValueError, match="pass time_steps"):
        gru.export_to_cpp(str(tmp_path / "g"))
    fixed = IModel(1, [2], 1, net_type="GRUNet", seed=0, time_steps=5)
    with pytest.raises(ValueError, match="time_steps=7 contradicts"):
        fixed.export_to_cpp(str(tmp_path / "g"), time_steps=7)
    with pytest.raises(ValueError, match="a DenseNet has no time steps"):
        model.export_to_cpp(str(tmp_path / "d"), time_steps=5)
    assert not list(tmp_path.iterdir())  # nothing written by the refused calls
    from degann.networks.cpp_export import generate_cpp

    with pytest.raises(ValueError, match="no C\\+\\+ exporter for net_type 'LSTMNet'"):
        generate_cpp({"net_type": "LSTMNet"}, "degann_x")


def test_available_levels_always_include_none_and_auto():
    levels = cpp_utils.get_available_vectorized_levels()
    assert levels[:2] == ["none", "auto"]
    assert set(levels) <= set(cpp_utils.VECTORIZED_LEVELS)
