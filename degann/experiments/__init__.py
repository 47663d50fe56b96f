"""Experiments: the GRU-vs-Dense comparison (``degann-compare``).

:mod:`~degann.experiments.runner` prepares the data and trains the networks,
:mod:`~degann.experiments.report` writes ``results.csv``, ``report.md`` and
the plot, :mod:`~degann.experiments.compare` is the command line.
"""
