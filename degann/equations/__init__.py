"""Equation tools: tables of expressions on grids and of ODE systems.

Expressions are parsed by a whitelist and evaluated with NumPy; nothing in
the text is executed. Module and function names follow DEGANN:
:mod:`~degann.equations.simple_equation`,
:mod:`~degann.equations.equation_utils`, :mod:`~degann.equations.system_ode`.
"""
