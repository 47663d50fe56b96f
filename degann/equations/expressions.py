"""Safe arithmetic expressions: parsed by a whitelist, evaluated with NumPy.

An expression may use numbers, the declared variable names, the constants
``pi`` and ``e``, the operators ``+ - * / ** %`` and unary ``+``/``-``, and
calls of the functions in :data:`FUNCTIONS` (``sin``, ``cos``, ``exp``,
``log``, ``sqrt``, ...). Anything else (attribute access, subscripts,
imports, calls of other names, keywords, comparisons, lambdas) raises
:class:`ValueError`. Nothing in the text is ever executed: the syntax tree
is walked by a small interpreter.
"""

from __future__ import annotations

import ast
import operator
from typing import Callable, Mapping, Sequence

import numpy as np

__all__ = ["CONSTANTS", "FUNCTIONS", "Expression", "parse"]

#: Functions an expression may call.
FUNCTIONS: dict[str, Callable] = {
    "sin": np.sin, "cos": np.cos, "tan": np.tan,
    "arcsin": np.arcsin, "arccos": np.arccos, "arctan": np.arctan,
    "asin": np.arcsin, "acos": np.arccos, "atan": np.arctan,
    "sinh": np.sinh, "cosh": np.cosh, "tanh": np.tanh,
    "exp": np.exp, "log": np.log, "log2": np.log2, "log10": np.log10,
    "sqrt": np.sqrt, "abs": np.abs, "fabs": np.abs,
    "floor": np.floor, "ceil": np.ceil, "sign": np.sign,
}

#: Named constants an expression may use.
CONSTANTS: dict[str, float] = {"pi": float(np.pi), "e": float(np.e)}

_BINARY = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
    ast.Div: operator.truediv, ast.Pow: operator.pow, ast.Mod: operator.mod,
}
_UNARY = {ast.USub: operator.neg, ast.UAdd: operator.pos}


class Expression:
    """A parsed expression of the given variables.

    Use :func:`parse` to build one; call :meth:`evaluate` with one array (or
    number) per variable.
    """

    def __init__(self, text: str, tree: ast.Expression, variables: tuple[str, ...]) -> None:
        self.text = text
        self.variables = variables
        self._tree = tree

    def evaluate(self, values: Mapping[str, object]) -> np.ndarray:
        """Value of the expression, element-wise over the variables' arrays."""
        missing = [v for v in self.variables if v not in values]
        if missing:
            raise ValueError(f"no value given for variable(s) {missing} of {self.text!r}")
        arrays = {k: np.asarray(values[k], dtype=np.float64) for k in self.variables}
        with np.errstate(all="ignore"):
            # NumPy scalars and arrays throughout: overflow gives inf, an
            # undefined value (0/0, a fractional power of a negative) NaN.
            return np.asarray(self._eval(self._tree.body, arrays), dtype=np.float64)

    def _eval(self, node: ast.AST, values: dict) -> object:
        if isinstance(node, ast.Constant):
            return np.float64(node.value)
        if isinstance(node, ast.Name):
            return values[node.id] if node.id in values else np.float64(CONSTANTS[node.id])
        if isinstance(node, ast.BinOp):
            return _BINARY[type(node.op)](self._eval(node.left, values),
                                          self._eval(node.right, values))
        if isinstance(node, ast.UnaryOp):
            return _UNARY[type(node.op)](self._eval(node.operand, values))
        if isinstance(node, ast.Call):
            return FUNCTIONS[node.func.id](*(self._eval(a, values) for a in node.args))
        raise AssertionError(f"unchecked node {type(node).__name__}")  # pragma: no cover

    def __repr__(self) -> str:
        return f"Expression({self.text!r}, variables={list(self.variables)})"


def _check(node: ast.AST, variables: set[str], text: str) -> None:
    def refuse(what: str) -> None:
        raise ValueError(f"expression {text!r}: {what} is not allowed")

    if isinstance(node, ast.Expression):
        _check(node.body, variables, text)
    elif isinstance(node, ast.Constant):
        if isinstance(node.value, bool) or not isinstance(node.value, (int, float)):
            refuse(f"the constant {node.value!r}")
        try:
            float(node.value)
        except OverflowError:
            refuse(f"the number {str(node.value)[:20]}... (too large for a float)")
    elif isinstance(node, ast.Name):
        if node.id not in variables and node.id not in CONSTANTS:
            if node.id in FUNCTIONS:
                refuse(f"the function name {node.id!r} without a call")
            refuse(f"the name {node.id!r} (declared variables: {sorted(variables)})")
    elif isinstance(node, ast.BinOp):
        if type(node.op) not in _BINARY:
            hint = "; use ** for powers" if isinstance(node.op, ast.BitXor) else ""
            refuse(f"the operator {type(node.op).__name__}{hint}")
        _check(node.left, variables, text)
        _check(node.right, variables, text)
    elif isinstance(node, ast.UnaryOp):
        if type(node.op) not in _UNARY:
            refuse(f"the operator {type(node.op).__name__}")
        _check(node.operand, variables, text)
    elif isinstance(node, ast.Call):
        if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
            name = node.func.id if isinstance(node.func, ast.Name) else ast.dump(node.func)[:40]
            refuse(f"calling {name!r} (allowed functions: {sorted(FUNCTIONS)})")
        if node.keywords:
            refuse("a keyword argument")
        if len(node.args) != 1:
            refuse(f"calling {node.func.id!r} with {len(node.args)} arguments")
        _check(node.args[0], variables, text)
    else:
        refuse(f"{type(node).__name__} syntax")


def parse(text: str, variables: Sequence[str]) -> Expression:
    """Parse ``text`` as an expression of ``variables``.

    Raises
    ------
    ValueError
        For a syntax error or anything outside the whitelist.
    """
    if not isinstance(text, str):
        raise TypeError(f"expression must be a string, got {type(text).__name__}")
    names = tuple(variables)
    for name in names:
        if not isinstance(name, str) or not name.isidentifier():
            raise ValueError(f"variable names must be identifiers, got {name!r}")
        if name in FUNCTIONS or name in CONSTANTS:
            raise ValueError(f"variable name {name!r} is taken by a function or constant")
    if len(text) > 10_000:
        raise ValueError("expression is longer than 10000 characters")
    if not text.isascii():
        raise ValueError(f"expression {text!r} must be plain ASCII text")
    try:
        tree = ast.parse(text.strip(), mode="eval")
        _check(tree, set(names), text)
    except SyntaxError as error:
        raise ValueError(f"expression {text!r} is not valid: {error.msg}") from None
    except (RecursionError, MemoryError):
        raise ValueError("expression is nested too deeply") from None
    return Expression(text, tree, names)
