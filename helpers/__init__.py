"""Shared code for the lossbook notebooks.

- ``helpers.losses``: every loss of the collection built from tensor primitives, with torch's semantics.
- ``helpers.analytic_grads``: the hand-derived backward passes those losses use.
- ``helpers.validation``: the clear errors raised for bad input.
- ``helpers.report``: the "✓" comparison lines and warning printouts notebooks use.
- ``helpers.timing``: side-by-side speed comparisons that print ratios.
- ``helpers.tables``: aligned plain-text tables of numbers (inf, nan and booleans included).
- ``helpers.plotting``: the figure style shared by every notebook.
- ``helpers.selfcheck`` and ``helpers.exercises``: the self-checks behind each notebook's exercises.
- ``helpers.environment``: compares the installed packages with the lock file.
- ``helpers.data``: scikit-learn's bundled data sets as tensors with a fixed, standardised train/val/test split.
- ``helpers.training``: the mini-batch training loop of notebook 11 (fit, evaluate, History, plot_history).
- ``helpers.explorers``: the slider explorers (pure state functions, figures, widgets) the notebooks display.
- ``helpers.peak_memory``: the exact peak bytes of the tensors a step creates (notebook 15).
- ``helpers.vocab_parallel``: cross-entropy with the vocabulary split over processes (notebook 15).
"""
