"""Look up Keras classes by their class name, with clear errors."""

from __future__ import annotations

import inspect
from types import ModuleType

from degann._validation import unknown_name_message


def _needs_arguments(cls: type, given: tuple[str, ...]) -> bool:
    """Whether ``cls(**given)`` would miss a required argument."""
    try:
        parameters = inspect.signature(cls.__init__).parameters.values()
    except (TypeError, ValueError):  # pragma: no cover - builtin signatures
        return False
    return any(
        p.default is inspect.Parameter.empty
        and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)
        and p.name not in ("self", *given)
        for p in parameters
    )


def keras_classes(
    module: ModuleType,
    base: type,
    exclude: tuple[str, ...] = (),
    given: tuple[str, ...] = (),
) -> dict:
    """Map class name to class for the public subclasses of ``base`` in ``module``.

    Classes that need constructor arguments other than ``given`` (for example
    a metric that needs ``num_classes``) are left out, since they cannot be
    chosen by name alone.
    """
    return {
        name: obj
        for name, obj in vars(module).items()
        if inspect.isclass(obj)
        and issubclass(obj, base)
        and obj is not base
        and not name.startswith("_")
        and name not in exclude
        and not _needs_arguments(obj, given)
    }


def lookup(kind: str, name: object, table: dict) -> type:
    """Return ``table[name]`` or raise an error that suggests close names."""
    if not isinstance(name, str):
        raise TypeError(f"{kind} must be a name (str), got {type(name).__name__}")
    try:
        return table[name]
    except KeyError:
        raise ValueError(unknown_name_message(kind, name, list(table))) from None
