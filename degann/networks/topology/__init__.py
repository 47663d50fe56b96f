"""Network topologies and the registry that maps ``net_type`` to a class.

Each topology lives in its own module and implements the protocol of
:class:`~degann.networks.topology.base.TopologyBase`. Registering a new one
is one line in ``_REGISTRY`` below (``net_type -> "module:Class"``); the
module is imported only when that ``net_type`` is first used.
"""

from __future__ import annotations

import importlib

from degann._validation import unknown_name_message

__all__ = ["get_topology", "net_types"]

_REGISTRY: dict[str, str] = {
    "DenseNet": "degann.networks.topology.tf_densenet:TensorflowDenseNet",
    "GRUNet": "degann.networks.topology.tensorflow_gru:TensorflowGRUNet",
}


def net_types() -> list[str]:
    """Names of the registered network types."""
    return list(_REGISTRY)


def get_topology(net_type: str) -> type:
    """Return the topology class registered under ``net_type``.

    Raises
    ------
    ValueError
        For an unknown ``net_type``; the message lists the known ones.
    """
    if not isinstance(net_type, str):
        raise TypeError(
            f"net_type must be a string, one of {net_types()}, "
            f"got {type(net_type).__name__}"
        )
    if net_type not in _REGISTRY:
        raise ValueError(unknown_name_message("net_type", net_type, net_types()))
    module_name, class_name = _REGISTRY[net_type].split(":")
    return getattr(importlib.import_module(module_name), class_name)
