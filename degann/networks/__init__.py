"""Networks: the :class:`IModel` facade and the topologies behind it.

``IModel`` is loaded lazily so that importing this package does not start
TensorFlow.
"""

__all__ = ["IModel"]


def __getattr__(name: str):
    if name == "IModel":
        from degann.networks.imodel import IModel

        return IModel
    raise AttributeError(f"module 'degann.networks' has no attribute {name!r}")
