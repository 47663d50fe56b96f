"""Equation tables: grids of expressions, ODE systems, and the whitelist."""

import math

import numpy as np
import pytest

from degann.equations import equation_utils, system_ode
from degann.equations.expressions import parse
from degann.equations.simple_equation import equation_solve, str_eq_to_params


def test_str_eq_to_params():
    assert str_eq_to_params({"x": "0, 10, 1"}) == [("x", (0.0, 10.0, 1.0))]
    assert str_eq_to_params({"a": "-1,1,0.5", "b": "2, 3, 1"}) == [
        ("a", (-1.0, 1.0, 0.5)), ("b", (2.0, 3.0, 1.0))]
    with pytest.raises(ValueError, match="variable 'x' needs 'left, right, step'"):
        str_eq_to_params({"x": "0, 10"})
    with pytest.raises(ValueError, match="three numbers"):
        str_eq_to_params({"x": "0, ten, 1"})


def test_linear_expression_on_a_small_grid_by_hand():
    axes = str_eq_to_params({"x": "0, 1, 1", "y": "0, 2, 2", "z": "1, 2, 1"})
    table = equation_solve("3*x+2*y+4*z", axes)
    # Right bounds included; the first variable changes fastest.
    expected = [
        [0, 0, 1, 4], [1, 0, 1, 7], [0, 2, 1, 8], [1, 2, 1, 11],
        [0, 0, 2, 8], [1, 0, 2, 11], [0, 2, 2, 12], [1, 2, 2, 15],
    ]
    np.testing.assert_array_equal(table, expected)


def test_functions_and_constants():
    table = equation_solve("sin(pi*x) + exp(0*x) + x**2 - 7 % 4",
                           [("x", (0.0, 0.5, 0.5))])
    np.testing.assert_allclose(table[:, 1], [0 + 1 + 0 - 3, 1 + 1 + 0.25 - 3])


@pytest.mark.parametrize(
    "text, message",
    [
        ("__import__('os').system('echo hi')", "calling"),
        ("__import__('os')", "calling '__import__'"),
        ("os.system('ls')", "Attribute"),
        ("x.__class__", "Attribute"),
        ("open('f')", "calling 'open'"),
        ("[x for x in y]", "ListComp"),
        ("lambda: 1", "Lambda"),
        ("x ^ 2", "use \\*\\* for powers"),
        ("y + 1", "the name 'y'"),
        ("sin(x, x)", "with 2 arguments"),
        ("'text'", "the constant"),
        ("x if x else 1", "IfExp"),
        ("(" * 200 + "x" + ")" * 200 + " + x[0]", "Subscript"),
    ],
)
def test_expressions_outside_the_whitelist_are_refused(text, message):
    with pytest.raises(ValueError, match=message):
        parse(text, ["x"])


def test_deep_nesting_is_refused():
    with pytest.raises(ValueError, match="nested too deeply|not valid"):
        parse("-" * 5000 + "x", ["x"])


def test_system_ode_matches_the_exact_solution():
    # y0' = y1, y1' = -y0, y0(0) = 0, y1(0) = 1: y0 = sin t, y1 = cos t.
    equations = equation_utils.system_ode_from_string("y1 y0(0)=0\n-y0 y1(0)=1")
    assert equations == [["y1", "y0(0)=0"], ["-y0", "y1(0)=1"]]
    ode = system_ode.SystemODE()
    ode.prepare_equations(2, equations)
    ode.solve((0, 1), 11)
    table = ode.build_table()
    assert table.shape == (11, 3)
    np.testing.assert_allclose(table[:, 0], np.linspace(0, 1, 11))
    np.testing.assert_allclose(table[:, 1], np.sin(table[:, 0]), atol=1e-6)
    np.testing.assert_allclose(table[:, 2], np.cos(table[:, 0]), atol=1e-6)
    only_second = ode.build_table([1])
    np.testing.assert_array_equal(only_second, table[:, [0, 2]])


def test_system_ode_with_time_in_the_right_hand_side():
    # y' = 2 t, y(0) = 1: y = 1 + t^2.
    ode = system_ode.SystemODE()
    ode.prepare_equations(1, [["2*t", "y0(0)=1"]])
    ode.solve((0, 2), [0.0, 1.0, 2.0])
    np.testing.assert_allclose(ode.build_table()[:, 1], [1, 2, 5], atol=1e-6)


def test_extract_iv():
    assert equation_utils.extract_iv("y0(0)=1") == (0.0, 1.0)
    assert equation_utils.extract_iv("y3(2.5)=-0.25") == (2.5, -0.25)
    with pytest.raises(ValueError, match="must look like"):
        equation_utils.extract_iv("y0=1")


def test_system_ode_bad_input():
    ode = system_ode.SystemODE()
    assert ode.build_table().size == 0
    with pytest.raises(RuntimeError, match="prepare_equations"):
        ode.solve((0, 1), 5)
    with pytest.raises(ValueError, match="must list 2 equations"):
        ode.prepare_equations(2, [["y0", "y0(0)=1"]])
    with pytest.raises(ValueError, match="calling '__import__'"):
        ode.prepare_equations(1, [["__import__('os')", "y0(0)=1"]])
    ode.prepare_equations(1, [["-y0", "y0(0)=1"]])
    with pytest.raises(ValueError, match="interval must be"):
        ode.solve((1, 0), 5)
    ode.solve((0, 1), 3)
    assert math.isclose(ode.build_table()[-1, 1], math.exp(-1), abs_tol=1e-6)


@pytest.mark.parametrize("text, expected", [
    ("(-8)**(1/3) + x", np.nan), ("10**10**10 + x", np.inf), ("1/0 + x", np.inf),
    ("0/0 + x", np.nan), ("1 % 0 + x", np.nan)])
def test_undefined_or_huge_values_are_nan_or_inf_not_errors(text, expected):
    value = parse(text, ["x"]).evaluate({"x": 0.0})
    if np.isnan(expected):
        assert np.isnan(value)
    else:
        assert value == expected


def test_oversized_literals_grids_and_lookalikes_are_refused():
    with pytest.raises(ValueError, match="too large"):
        parse("9" * 400, ["x"])
    with pytest.raises(ValueError, match="more than 10000000 values"):
        equation_solve("x", [("x", (0.0, 1e300, 1e-300))])
    with pytest.raises(ValueError, match="plain ASCII"):
        parse("\uff58 + 1", ["x"])
