"""Adaptive activations (``tg.nn``): units σ(αu + β) and tanh(αu + β) with a learnable slope α and
offset β per neuron, trained by the error gradient and/or by the infomax rule of Bell & Sejnowski
(1995), as proposed in 《神经网络的联合学习猜想》 (anonymous report, 2016; see
``docs/references.md``). Equation numbers (2.10, 2.11, 3.1–3.10, B.4, B.5) are that report's.
"""
import numpy as np

from ..core import ops
from ..core.tensor import Tensor
from ..core.transforms import grad
from . import functional as F
from .module import Module, Parameter

__all__ = ["AdaptiveLogistic", "AdaptiveTanh"]


class _Adaptive(Module):
    """Shared by AdaptiveLogistic and AdaptiveTanh; see their docstrings."""

    _act = None

    def __init__(self, num_features, dtype=np.float64):
        super().__init__()
        self.num_features = int(num_features)
        self.alpha = Parameter(np.ones(self.num_features, dtype))     # the report's §3, step 1: α = 1
        self.beta = Parameter(np.zeros(self.num_features, dtype))     # and β = 0

    def forward(self, u):
        return type(self)._act(u, self.alpha, self.beta)

    def log_slope(self, u, alpha=None, beta=None):
        """log|∂y/∂u| for each element of ``u``, with ∂y/∂u computed by the engine (one reverse
        sweep of Σ y: the units are independent, so its gradient is the elementwise derivative).
        Recorded when alpha or beta require grad, so it can be differentiated again."""
        alpha = self.alpha if alpha is None else alpha
        beta = self.beta if beta is None else beta
        u = u.detach() if isinstance(u, Tensor) else Tensor(u)
        act = type(self)._act
        dydu = grad(lambda v: ops.sum(act(v, alpha, beta)))(u)
        return ops.log(ops.abs(dydu))

    def infomax_grad(self, u):
        """(∂H/∂α, ∂H/∂β), one value per neuron: the infomax rules (2.10, 2.11; tanh: B.4, B.5),
        with H = E[log|∂y/∂u|] estimated by the mean over the batch (the rows of ``u``):
            logistic: ∂H/∂α = 1/α + u(1 − 2y),   ∂H/∂β = 1 − 2y,
            tanh:     ∂H/∂α = 1/α − 2uy,         ∂H/∂β = −2y.

        Computed by the engine as a derivative of a derivative: ∂y/∂u by one reverse sweep,
        recorded (``log_slope``), then ∂/∂α and ∂/∂β of the batch mean of its log by a second
        reverse sweep through that recorded gradient. Nothing is written to ``.grad``.

        ``u`` is the net input and ``alpha``, ``beta`` the slope and offset, in the names of the
        report's §3 (its §2 calls them x, a, b); the rules ascend H (``infomax_step`` adds lr times
        them). A tanh unit with |αu + β| > 19 has slope 0 in float64, so log|∂y/∂u| = −inf. The
        names, the closed forms and where each comes from: docs/derivations/infomax.md."""
        u = u if isinstance(u, Tensor) else Tensor(u)
        if u.shape[-1:] != (self.num_features,):
            raise ValueError(f"{type(self).__name__}({self.num_features}).infomax_grad: u's last axis "
                             f"must have {self.num_features} units, got shape {u.shape}")
        u = u.detach()
        batch_axes = tuple(range(u.ndim - 1))

        def H(alpha, beta):
            ls = self.log_slope(u, alpha, beta)
            return ops.sum(ops.mean(ls, axis=batch_axes) if batch_axes else ls)

        da, db = grad(H, argnums=(0, 1))(self.alpha.data, self.beta.data)
        return da.detach(), db.detach()

    def infomax_step(self, u, lr):
        """The report's step 4: α ← α + lr·∂H/∂α, β ← β + lr·∂H/∂β (gradient *ascent* on the output
        entropy). Returns the two gradients."""
        da, db = self.infomax_grad(u)
        self.alpha.data = self.alpha.data + lr * da.data.astype(self.alpha.dtype)
        self.beta.data = self.beta.data + lr * db.data.astype(self.beta.dtype)
        return da, db

    def extra_repr(self):
        return f"{self.num_features}"


class AdaptiveLogistic(_Adaptive):
    """h(u) = 1/(1 + e^{−(αu + β)}) per neuron (the report's §3, fig. 3.1), with learnable slope
    ``alpha`` (starts at 1) and offset ``beta`` (starts at 0), one of each per neuron, trained by
    the error gradient like any parameter, and/or by the infomax rule (2.10, 2.11 = 3.9, 3.10)
    through ``infomax_grad`` / ``infomax_step``."""
    _act = staticmethod(F.adaptive_logistic)


class AdaptiveTanh(_Adaptive):
    """h(u) = tanh(αu + β) per neuron, learnable α (starts at 1) and β (starts at 0); infomax
    rules B.4, B.5 through ``infomax_grad``."""
    _act = staticmethod(F.adaptive_tanh)
