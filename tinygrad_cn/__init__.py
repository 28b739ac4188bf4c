"""tinygrad_cn: a from-scratch autodiff engine for learning how neural networks compute their
gradients, following 《神经网络与深度学习》 ch. 5 (published ch. 4)."""
from .autodiff import (SweepCount, count_sweeps, forward_sweep, grad, hessian, hvp, jacobian, jvp,
                       value_and_grad, vjp, zero_grad)
from .errors import AnomalyError, GradientCheckError, GraphFreedError, ShapeError
from .numerical import GradCheckReport, check_grad, numerical_grad
from .ops import (PRIMITIVES, abs, broadcast_to, cat, concatenate, cos, exp, log, log_softmax,
                  logsumexp, matmul, max, maximum, mean, min, minimum, permute, relu, reshape,
                  sigmoid, sin, softmax, softplus, sqrt, squeeze, stack, sum, tanh, transpose,
                  unsqueeze, where)
from .tensor import Tensor, detect_anomaly, enable_grad, is_grad_enabled, no_grad
from .viz import draw, to_png, to_svg
from . import data, datasets, functional, init, nn, optim, plotting, symbolic, trace  # noqa: E402
from .nn import Module, Parameter
from .train import fit

__version__ = "0.1.0"
