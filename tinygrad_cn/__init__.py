"""tinygrad_cn: a from-scratch autodiff engine for learning how neural networks compute their
gradients, following 《神经网络与深度学习》 ch. 5 (published ch. 4).

Three parts: ``core`` (the engine), ``nn`` (networks and training) and ``teach`` (step tables,
drawings, symbolic differentiation, the stepper). The drawing and plotting modules, and with them
graphviz and matplotlib, load on first use.
"""
import importlib

from . import nn
from .core.compile import jit
from .core.errors import AnomalyError, AxisError, GradientCheckError, GraphFreedError, MutationError, ShapeError
from .core.graph import detect_anomaly, enable_grad, is_grad_enabled, no_grad
from .core.numerical import GradCheckReport, check_grad, numerical_grad
from .core.ops import (  # noqa: F401  (tg.sum, ...; left out of __all__, so a star import keeps the builtins)
    abs,
    broadcast_to,
    cat,
    concatenate,
    cos,
    exp,
    log,
    log_softmax,
    logsumexp,
    matmul,
    max,
    maximum,
    mean,
    min,
    minimum,
    permute,
    relu,
    reshape,
    sigmoid,
    sin,
    softmax,
    softplus,
    sqrt,
    squeeze,
    stack,
    sum,
    tanh,
    transpose,
    unsqueeze,
    where,
)
from .core.primitive import PRIMITIVES, Notation, Primitive
from .core.sweeps import SweepCount, count_sweeps, zero_grad
from .core.tensor import Tensor
from .core.transforms import forward_sweep, grad, hessian, hvp, jacobian, jvp, value_and_grad, vjp
from .nn import data, datasets, functional, init, optim
from .nn.module import Module, Parameter
from .nn.train import fit
from .teach import symbolic, textbook, trace

__version__ = "0.1.0"

# ``from tinygrad_cn import *`` takes these: sum, max, min and abs stay Python's builtins there
# (use tg.sum, tg.max, ... or the Tensor methods)
__all__ = [
    "Tensor", "no_grad", "enable_grad", "is_grad_enabled", "detect_anomaly",
    "grad", "value_and_grad", "vjp", "jvp", "jit", "jacobian", "hessian", "hvp", "forward_sweep",
    "count_sweeps", "SweepCount", "zero_grad", "check_grad", "numerical_grad", "GradCheckReport",
    "exp", "log", "sqrt", "sin", "cos", "tanh", "sigmoid", "softplus", "relu", "maximum", "minimum",
    "where", "matmul", "mean", "logsumexp", "softmax", "log_softmax", "reshape", "transpose",
    "permute", "broadcast_to", "squeeze", "unsqueeze", "concatenate", "cat", "stack", "PRIMITIVES",
    "Primitive", "Notation", "ShapeError", "AxisError", "GraphFreedError", "AnomalyError", "MutationError",
    "GradientCheckError",
    "nn", "functional", "optim", "init", "data", "datasets", "fit", "Module", "Parameter",
    "trace", "symbolic", "textbook", "viz", "plotting", "draw", "to_svg", "to_png",
]

_LAZY_MODULES = {"viz": ".teach.viz", "plotting": ".teach.plotting"}
_LAZY_NAMES = {"draw": "viz", "to_svg": "viz", "to_png": "viz"}


def __getattr__(name):
    """``tg.viz``, ``tg.plotting``, ``tg.draw``, ... import graphviz / matplotlib on first use."""
    if name in _LAZY_MODULES:
        module = importlib.import_module(_LAZY_MODULES[name], __name__)
        globals()[name] = module
        return module
    if name in _LAZY_NAMES:
        value = getattr(__getattr__(_LAZY_NAMES[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'tinygrad_cn' has no attribute {name!r}")
