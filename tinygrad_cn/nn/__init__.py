"""Networks on the engine (``tg.nn``): the module machinery (``module``), layers with weights or
state (``layers``), activation modules (``activations``) and adaptive units (``adaptive``); beside
them ``functional`` (activations and losses), ``optim``, ``init``, ``data``, ``datasets`` and the
training loop ``train``. Imports the engine, never ``teach``."""
from .activations import (
    ACTIVATIONS,
    ELU,
    HardLogistic,
    HardTanh,
    Identity,
    LeakyReLU,
    Logistic,
    LogSoftmax,
    PReLU,
    ReLU,
    Sigmoid,
    Softmax,
    Softplus,
    Swish,
    Tanh,
    get_activation,
)
from .adaptive import AdaptiveLogistic, AdaptiveTanh
from .layers import MLP, BatchNorm1d, Dropout, Linear, Maxout, Sequential
from .module import Module, Parameter, functional_call, non_weights, weights

__all__ = [
    "ACTIVATIONS", "ELU", "MLP", "AdaptiveLogistic", "AdaptiveTanh", "BatchNorm1d", "Dropout",
    "HardLogistic", "HardTanh", "Identity", "LeakyReLU", "Linear", "LogSoftmax", "Logistic", "Maxout",
    "Module", "PReLU", "Parameter", "ReLU", "Sequential", "Sigmoid", "Softmax", "Softplus", "Swish",
    "Tanh", "functional_call", "get_activation", "non_weights", "weights",
]
