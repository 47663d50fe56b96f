"""DEGANN's own layers (dense layers with named, parameterised activations)."""
