"""degann: neural networks that approximate solutions of differential equations.

The package follows DEGANN's interface: one facade class, :class:`IModel`,
builds, trains, evaluates and saves a network whose architecture is chosen by
``net_type`` (``"DenseNet"`` or ``"GRUNet"``).

Importing :mod:`degann` is cheap: TensorFlow is only loaded when a network is
first touched (``degann.IModel``), so data tools and the command line can
validate their inputs quickly.
"""

from degann._version import __version__

__all__ = ["IModel", "__version__"]


def __getattr__(name: str):
    if name == "IModel":
        from degann.networks.imodel import IModel

        return IModel
    raise AttributeError(f"module 'degann' has no attribute {name!r}")
