"""Activation modules (``tg.nn``): the functions of NNDL §5.1.2 and table 5.1 (邱锡鹏,
《神经网络与深度学习》, 2020; see ``docs/references.md``) as layers, and ``get_activation`` by name.

Each module calls its function in ``functional``; the conventions at kinks are stated there.
"""
import numpy as np

from ..core.tensor import Tensor
from . import functional as F
from .module import Module, Parameter

__all__ = [
    "ACTIVATIONS", "ELU", "HardLogistic", "HardTanh", "Identity", "LeakyReLU", "LogSoftmax",
    "Logistic", "PReLU", "ReLU", "Sigmoid", "Softmax", "Softplus", "Swish", "Tanh", "get_activation"
]


class Identity(Module):
    """f(x) = x: the linear output unit, and a placeholder layer."""

    def forward(self, x):
        return x


class _Elementwise(Module):
    _fn = None

    def forward(self, x):
        return type(self)._fn(x)


class Logistic(_Elementwise):
    """σ(x) = 1/(1 + e^{−x}) (eq. 5.4)."""
    _fn = staticmethod(F.logistic)


Sigmoid = Logistic


class Tanh(_Elementwise):
    """tanh (eq. 5.5)."""
    _fn = staticmethod(F.tanh)


class HardLogistic(_Elementwise):
    """max(min(0.25x + 0.5, 1), 0) (eq. 5.11)."""
    _fn = staticmethod(F.hard_logistic)


class HardTanh(_Elementwise):
    """max(min(x, 1), −1) (eq. 5.15)."""
    _fn = staticmethod(F.hard_tanh)


class ReLU(_Elementwise):
    """max(0, x) (eq. 5.17)."""
    _fn = staticmethod(F.relu)


class Softplus(_Elementwise):
    """log(1 + e^x) (eq. 5.22)."""
    _fn = staticmethod(F.softplus)


class LeakyReLU(Module):
    """max(0, x) + λ min(0, x) (eq. 5.19), λ = ``negative_slope``."""

    def __init__(self, negative_slope=0.01):
        super().__init__()
        self.negative_slope = float(negative_slope)

    def forward(self, x):
        return F.leaky_relu(x, self.negative_slope)

    def extra_repr(self):
        return f"negative_slope={self.negative_slope}"


class PReLU(Module):
    """max(0, x) + a_i min(0, x) (eq. 5.21) with learnable slopes ``a``: one per neuron
    (``num_parameters=n``, broadcast over the last axis) or one shared by all (``num_parameters=1``,
    the default), initialised to ``init`` (0.25, as He et al. 2015). The constructor argument keeps
    PyTorch's name; the count is stored as ``num_slopes``, so ``num_parameters()`` stays the method
    of every Module."""

    def __init__(self, num_parameters=1, init=0.25, dtype=np.float64):
        super().__init__()
        self.num_slopes = int(num_parameters)
        self.a = Parameter(np.full(() if self.num_slopes == 1 else (self.num_slopes,), init, dtype))

    def forward(self, x):
        x = x if isinstance(x, Tensor) else Tensor(x)
        if self.num_slopes > 1 and (x.ndim == 0 or x.shape[-1] != self.num_slopes):
            raise ValueError(f"PReLU({self.num_slopes}): the input's last axis must have "
                             f"{self.num_slopes} neurons, got shape {x.shape}")
        return F.prelu(x, self.a)

    def extra_repr(self):
        return f"num_parameters={self.num_slopes}"


class ELU(Module):
    def __init__(self, alpha=1.0):
        super().__init__()
        self.alpha = float(alpha)

    def forward(self, x):
        return F.elu(x, self.alpha)


class Swish(Module):
    """x·σ(βx); ``learnable=True`` makes β a Parameter."""

    def __init__(self, beta=1.0, learnable=False, dtype=np.float64):
        super().__init__()
        if learnable:
            self.beta = Parameter(np.asarray(beta, dtype))
        else:
            self.beta = float(beta)

    def forward(self, x):
        return F.swish(x, self.beta)


class Softmax(Module):
    def __init__(self, axis=-1):
        super().__init__()
        self.axis = axis

    def forward(self, x):
        return F.softmax(x, self.axis)


class LogSoftmax(Softmax):
    def forward(self, x):
        return F.log_softmax(x, self.axis)


ACTIVATIONS = {"logistic": Logistic, "sigmoid": Logistic, "tanh": Tanh,
               "hard_logistic": HardLogistic, "hard_tanh": HardTanh, "relu": ReLU,
               "leaky_relu": LeakyReLU, "prelu": PReLU, "softplus": Softplus, "elu": ELU,
               "swish": Swish, "identity": Identity, "linear": Identity, "softmax": Softmax}


def get_activation(name):
    """A new activation module by name ("logistic", "tanh", "relu", ...), or a Module as is."""
    if isinstance(name, Module):
        return name
    if isinstance(name, type) and issubclass(name, Module):
        return name()
    try:
        return ACTIVATIONS[name]()
    except KeyError:
        raise ValueError(f"unknown activation {name!r}; known: {sorted(ACTIVATIONS)}") from None
