"""Slider explorers: ipywidgets controls over pure state functions, drawn with matplotlib.

- ``helpers.explorers.states``: the numbers (pure functions, one per explorer, each with a ``readout``).
- ``helpers.explorers.figures``: the pictures (built once, updated in place).
- ``helpers.explorers.widget``: the ``Explorer`` that connects controls, state and picture.
- ``helpers.explorers.catalogue``: the explorers the notebooks display.
"""
from helpers.explorers.catalogue import (EXPLORERS, float_precision_explorer, gaussian_explorer,
                                         gradient_descent_explorer, likelihood_explorer, loss_zoo_explorer,
                                         sigmoid_bce_explorer, softmax_explorer, weights_explorer)

__all__ = ["EXPLORERS", "sigmoid_bce_explorer", "likelihood_explorer", "gaussian_explorer",
           "float_precision_explorer", "softmax_explorer", "weights_explorer", "gradient_descent_explorer",
           "loss_zoo_explorer"]
