"""Look up Keras classes by their class name, with clear errors."""

from __future__ import annotations

import inspect
from types import ModuleType

from degann._validation import unknown_name_message


def keras_classes(module: ModuleType, base: type, exclude: tuple[str, ...] = ()) -> dict:
    """Map class name to class for the public subclasses of ``base`` in ``module``."""
    return {
        name: obj
        for name, obj in vars(module).items()
        if inspect.isclass(obj)
        and issubclass(obj, base)
        and obj is not base
        and not name.startswith("_")
        and name not in exclude
    }


def lookup(kind: str, name: object, table: dict) -> type:
    """Return ``table[name]`` or raise an error that suggests close names."""
    if not isinstance(name, str):
        raise TypeError(f"{kind} must be a name (str), got {type(name).__name__}")
    try:
        return table[name]
    except KeyError:
        raise ValueError(unknown_name_message(kind, name, list(table))) from None
