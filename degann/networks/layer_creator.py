"""Create DEGANN layers by parameters or from their dictionaries."""

from __future__ import annotations

from typing import Any

from degann._validation import unknown_name_message
from degann.networks.layers.tf_dense import TensorflowDense

__all__ = ["create", "create_dense", "from_dict"]

_LAYER_TYPES = {"Dense": TensorflowDense, "TensorflowDense": TensorflowDense}


def create(
    inp_size: int,
    shape: int,
    activation: str = "linear",
    weight: Any = "random_normal",
    bias: Any = "random_normal",
    layer_type: str = "Dense",
    is_debug: bool = False,
    **kwargs: Any,
) -> TensorflowDense:
    """Create a layer of ``layer_type`` with ``inp_size`` inputs and ``shape`` neurons.

    ``kwargs`` go to the layer (for example ``decorator_params`` or ``name``).
    """
    if layer_type not in _LAYER_TYPES:
        raise ValueError(unknown_name_message("layer_type", str(layer_type), list(_LAYER_TYPES)))
    return _LAYER_TYPES[layer_type](
        inp_size, shape, activation, weight, bias, is_debug=is_debug, **kwargs
    )


def create_dense(
    inp_size: int,
    shape: int,
    activation: str = "linear",
    weight: Any = "random_normal",
    bias: Any = "random_normal",
    **kwargs: Any,
) -> TensorflowDense:
    """Create a dense layer (see :func:`create`)."""
    return create(inp_size, shape, activation, weight, bias, layer_type="Dense", **kwargs)


def from_dict(config: dict[str, Any]) -> TensorflowDense:
    """Rebuild a layer, weights included, from its ``to_dict()`` output."""
    if not isinstance(config, dict):
        raise TypeError(f"config must be a dict, got {type(config).__name__}")
    missing = [k for k in ("inp_size", "shape", "layer_type") if k not in config]
    if missing:
        raise ValueError(f"layer config is missing key(s) {missing}")
    layer = create(config["inp_size"], config["shape"], activation=config.get("activation",
                   "linear"), layer_type=config["layer_type"],
                   decorator_params=config.get("decorator_params"))
    return layer.from_dict(config)
