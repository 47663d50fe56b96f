import math

import numpy as np
import pytest

from degann.datasets import functions


def _hardsin_by_definition(x: float) -> float:
    # The formula as written in the report: sin(ln(x ** sin(10 x))).
    return math.sin(math.log(x ** math.sin(10 * x)))


@pytest.mark.parametrize("x", [0.5, 2.0, 3.7])
def test_hardsin_matches_the_definition(x):
    assert functions.hardsin(x) == pytest.approx(_hardsin_by_definition(x), abs=1e-12)


def test_hardsin_hand_checked_points():
    # x = 1: ln 1 = 0, so the value is sin(0) = 0.
    # x = pi / 20: sin(10 x) = sin(pi / 2) = 1, so the value is sin(ln(pi / 20)).
    # x = pi / 10: sin(10 x) = sin(pi) = 0, so the value is sin(0) = 0.
    values = functions.hardsin([1.0, math.pi / 20, math.pi / 10])
    assert values[0] == 0.0
    assert values[1] == pytest.approx(math.sin(math.log(math.pi / 20)), abs=1e-12)
    assert values[1] == pytest.approx(-0.96100, abs=1e-5)
    assert values[2] == pytest.approx(0.0, abs=1e-12)


def test_hardsin_is_stable_where_the_power_form_underflows():
    # x ** sin(10 x) underflows to 0 for tiny x, the stable form does not.
    x = 1e-300
    assert np.isfinite(functions.hardsin(x))


@pytest.mark.parametrize("bad", [0.0, -1.0, [0.5, 0.0]])
def test_hardsin_rejects_non_positive_x(bad):
    with pytest.raises(ValueError, match="x > 0"):
        functions.hardsin(bad)


def test_registry_has_the_nine_builtins_and_hardsin():
    assert functions.names() == [
        "const", "lin", "exp", "log", "sin", "gauss", "hyperbol", "sig",
        "multidim", "hardsin",
    ]
    assert functions.get("hardsin").interval == (0.1, 5.0)
    assert functions.get("multidim").input_dim == 3


@pytest.mark.parametrize(
    "name, x, expected",
    [
        ("const", 0.3, 1.0),
        ("lin", 0.3, 0.6),
        ("exp", 0.5, math.exp(1.5)),
        ("log", 1.0, math.log(2.0)),
        ("sin", 0.1, math.sin(1.0)),
        ("gauss", 0.5, 1.0),
        ("hyperbol", 0.4, (0.16 + 0.5) / 0.5),
        ("sig", 0.0, 0.5),
    ],
)
def test_builtin_values(name, x, expected):
    assert functions.get(name)(np.array([x]))[0] == pytest.approx(expected, rel=1e-12)


def test_multidim_value():
    value = functions.multidim([[0.1, 1.0, 3.0]])
    assert value[0] == pytest.approx(math.sin(0.5) * 1.0 / 2.0, rel=1e-12)


def test_domain_errors_of_other_functions():
    with pytest.raises(ValueError, match="x > -1"):
        functions.log([-1.0])
    with pytest.raises(ValueError, match="-0.1"):
        functions.hyperbol([-0.1])
    with pytest.raises(ValueError, match="shape"):
        functions.multidim([[1.0, 2.0]])


def test_unknown_function_name_suggests_close_names():
    with pytest.raises(ValueError, match="did you mean 'hardsin'"):
        functions.get("hardsine")
