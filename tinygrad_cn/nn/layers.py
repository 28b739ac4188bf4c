"""Layers with weights or state (``tg.nn``): Linear, Sequential, MLP, Maxout, Dropout, BatchNorm1d.

Notation of 邱锡鹏,《神经网络与深度学习》 (2020; the draft's ch. 5 is the printed ch. 4, see
``docs/references.md``): a layer l has n_l units, its weight is W⁽ˡ⁾ ∈ R^{n_l × n_{l−1}} and its net
input z⁽ˡ⁾ = W⁽ˡ⁾ a⁽ˡ⁻¹⁾ + b⁽ˡ⁾ (eq. 5.26); a batch holds one sample per row, so a layer computes
Z = X Wᵀ + b.
"""
import itertools

import numpy as np

from ..core import ops
from ..core.tensor import Tensor
from . import functional as F
from . import init as _init
from .activations import get_activation
from .module import Module, Parameter

__all__ = ["MLP", "BatchNorm1d", "Dropout", "Linear", "Maxout", "Sequential"]


class Linear(Module):
    """z = W a + b (eq. 5.26): ``weight`` W of shape (out_features, in_features) = (n_l, n_{l−1}),
    ``bias`` b of shape (out_features,); a batch X of shape (N, in_features) gives X Wᵀ + b.

    ``init`` names an initialiser of ``tinygrad_cn.init`` (default ``"xavier_uniform"``, eq. 5.101)
    or is a function ``init(shape, dtype=..., rng=...)``; ``activation`` (``"logistic"`` or
    ``"tanh"``) sets Xavier's gain (4 or 1, see ``init``). Biases start at 0. ``rng``: None, a seed
    or a numpy Generator. ``dtype``: float64 by default, or np.float32."""

    def __init__(self, in_features: int, out_features: int, bias: bool = True, init: str = "xavier_uniform",
                 activation=None, rng=None, dtype=np.float64):
        super().__init__()
        self.in_features, self.out_features = int(in_features), int(out_features)
        fn = _init.get(init)
        kw = {"activation": activation} if activation is not None and fn in (
            _init.xavier_uniform, _init.xavier_normal) else {}
        self.weight = Parameter(fn((self.out_features, self.in_features), dtype=dtype,
                                   rng=_init.as_rng(rng), **kw))
        if bias:
            self.bias = Parameter(np.zeros(self.out_features, dtype))
        else:
            self.bias = None

    def forward(self, x) -> Tensor:
        x = x if isinstance(x, Tensor) else Tensor(x)
        if x.ndim == 0 or x.shape[-1] != self.in_features:
            raise ValueError(f"Linear({self.in_features}, {self.out_features}): the input's last axis "
                             f"must have {self.in_features} features, got shape {x.shape}")
        return F.linear(x, self.weight, self.bias)

    def extra_repr(self):
        return (f"in_features={self.in_features}, out_features={self.out_features}, "
                f"bias={self.bias is not None}")


class Sequential(Module):
    """Modules applied in order: a⁽⁰⁾ = x → z⁽¹⁾ → a⁽¹⁾ → … → a⁽ᴸ⁾ (eq. 5.30). Registered under the
    names "0", "1", ...; indexable and iterable."""

    def __init__(self, *modules: Module) -> None:
        super().__init__()
        if len(modules) == 1 and isinstance(modules[0], (list, tuple)):
            modules = tuple(modules[0])
        for i, m in enumerate(modules):
            if not isinstance(m, Module):
                raise TypeError(f"Sequential: item {i} is a {type(m).__name__}, not a Module")
            self.add_module(str(i), m)

    def __getitem__(self, i):
        mods = self.children()
        if isinstance(i, slice):
            return Sequential(*mods[i])
        return mods[i]

    def __len__(self):
        return len(self.children())

    def __iter__(self):
        return iter(self.children())

    def append(self, module):
        self.add_module(str(len(self)), module)
        return self

    def forward(self, x) -> Tensor:
        for m in self.children():
            x = m(x)
        return x


class Maxout(Module):
    """A layer of maxout units (eqs. 5.23–5.25): each of the ``out_features`` units has k weight
    vectors w_i and biases b_i and outputs max_i (w_iᵀx + b_i). ``weight`` has shape
    (out_features·k, in_features): rows u·k … u·k + k − 1 belong to unit u."""

    def __init__(self, in_features, out_features, k=2, init="xavier_uniform", rng=None,
                 dtype=np.float64):
        super().__init__()
        self.in_features, self.out_features, self.k = int(in_features), int(out_features), int(k)
        self.weight = Parameter(_init.get(init)((self.out_features * self.k, self.in_features),
                                                dtype=dtype, rng=_init.as_rng(rng)))
        self.bias = Parameter(np.zeros(self.out_features * self.k, dtype))

    def forward(self, x) -> Tensor:
        return F.maxout(F.linear(x, self.weight, self.bias), self.k)

    def extra_repr(self):
        return f"in_features={self.in_features}, out_features={self.out_features}, k={self.k}"


class MLP(Sequential):
    """A feedforward network (NNDL §5.2, fig. 5.6): ``sizes = [n_0, n_1, ..., n_L]`` gives L Linear
    layers, each but the last followed by ``activation``, the last by ``output_activation`` (None:
    the output is the last net input z⁽ᴸ⁾, the logits that the losses from logits want).

    Weights are Xavier-uniform with the gain for the activation (4 for logistic, 1 for tanh, see
    ``init``) or He-normal for ReLU-like units, unless ``init`` is given; all layers draw from one
    generator made from ``rng``."""

    def __init__(self, sizes, activation="logistic", output_activation=None, bias=True, init=None,
                 rng=None, dtype=np.float64):
        sizes = [int(n) for n in sizes]
        if len(sizes) < 2:
            raise ValueError(f"MLP: sizes needs at least an input and an output size, got {sizes}")
        gen = _init.as_rng(rng)
        layers = []
        for i, (n_in, n_out) in enumerate(itertools.pairwise(sizes)):
            last = i == len(sizes) - 2
            act = output_activation if last else activation
            act_name = act if isinstance(act, str) else None
            if init is not None:
                layer = Linear(n_in, n_out, bias, init=init, rng=gen, dtype=dtype)
            elif act_name in ("relu", "leaky_relu", "prelu", "elu"):
                layer = Linear(n_in, n_out, bias, init="he_normal", rng=gen, dtype=dtype)
            else:
                gain_act = act_name if act_name in _init.XAVIER_GAIN else None
                layer = Linear(n_in, n_out, bias, activation=gain_act, rng=gen, dtype=dtype)
            layers.append(layer)
            if act is not None:
                layers.append(get_activation(act))
        super().__init__(*layers)
        self.sizes = sizes

    def extra_repr(self):
        return f"sizes={self.sizes}"


# ---- regularisation layers ---------------------------------------------------------------------
class Dropout(Module):
    """Dropout (NNDL §5.7.6; published §7.7): in training mode each element is dropped (set to 0)
    with probability ``p`` and the kept ones are divided by q = 1 − p ("inverted dropout"); in
    evaluation mode the input passes unchanged.

    ``p`` is the *drop* probability (PyTorch's convention); the book's p is the *keep* probability,
    our q, and the book scales by q at test time instead of by 1/q in training. The two nets are
    equivalent up to weights divided by q: docs/derivations/dropout.md.

    ``rng``: None (``init``'s generator), a seed or a Generator; a seed makes the masks
    reproducible."""

    def __init__(self, p: float = 0.5, rng=None) -> None:
        super().__init__()
        if not 0 <= p < 1:
            raise ValueError(f"Dropout: the drop probability p must be in [0, 1), got {p}")
        self.p = float(p)
        self.rng = None if rng is None else _init.as_rng(rng)

    def forward(self, x) -> Tensor:
        return F.dropout(x, self.p, self.training, rng=self.rng)

    def extra_repr(self):
        return f"p={self.p}"


class BatchNorm1d(Module):
    """Batch normalisation (NNDL §5.7.3, algorithm 5.2, eq. 5.89; published §7.5.1) for inputs of
    shape (m, K): K features, a mini-batch of m samples.

    Training mode: each feature is normalised with the mini-batch mean μ_B and the biased variance
    σ²_B, x̂ = (x − μ_B)/√(σ²_B + ε), then scaled and shifted, y = γ x̂ + β (``gamma`` starts at 1,
    ``beta`` at 0; learnable). The gradient flows through μ_B and σ²_B. The running statistics are
    updated: ``running_mean ← (1 − momentum)·running_mean + momentum·μ_B`` and likewise
    ``running_var`` with the unbiased m/(m − 1)·σ²_B (Ioffe & Szegedy's estimate of the population
    variance); ``momentum=None`` keeps the plain average over all batches seen instead.

    Evaluation mode: "用整个数据集上的均值 μ_k 和方差 σ²_k 来分别代替 μ_B,k 和 σ²_B,k": the running
    statistics replace the batch ones, so a sample's output does not depend on its batch."""

    def __init__(self, num_features, eps=1e-5, momentum=0.1, affine=True, dtype=np.float64):
        super().__init__()
        self.num_features, self.eps, self.momentum = int(num_features), float(eps), momentum
        if affine:
            self.gamma = Parameter(np.ones(self.num_features, dtype))
            self.beta = Parameter(np.zeros(self.num_features, dtype))
        else:
            self.gamma = self.beta = None
        self.register_buffer("running_mean", np.zeros(self.num_features, dtype))
        self.register_buffer("running_var", np.ones(self.num_features, dtype))
        self.register_buffer("num_batches_tracked", np.array(0, np.int64))

    def forward(self, x) -> Tensor:
        x = x if isinstance(x, Tensor) else Tensor(x)
        if x.ndim != 2 or x.shape[1] != self.num_features:
            raise ValueError(f"BatchNorm1d({self.num_features}): input must have shape (m, "
                             f"{self.num_features}), got {x.shape}")
        if not self.training:
            rm = Tensor(self.running_mean.astype(x.dtype, copy=False))
            rv = Tensor(self.running_var.astype(x.dtype, copy=False))
            y = (x - rm) / ops.sqrt(rv + self.eps)
            if self.gamma is not None:
                y = y * self.gamma + self.beta
            return y
        m = x.shape[0]
        if m < 2:
            raise ValueError("BatchNorm1d: training mode needs a mini-batch of at least 2 samples "
                             "(the variance of one sample is 0); call .eval() to use the running "
                             "statistics")
        y, mu, var = F.batch_norm(x, self.gamma, self.beta, self.eps)
        n = int(self.num_batches_tracked) + 1
        self.num_batches_tracked = np.array(n, np.int64)
        w = 1.0 / n if self.momentum is None else float(self.momentum)
        unbiased = var.data * (m / (m - 1))
        self.running_mean = (1 - w) * self.running_mean + w * mu.data
        self.running_var = (1 - w) * self.running_var + w * unbiased
        return y

    def extra_repr(self):
        return f"{self.num_features}, eps={self.eps}, momentum={self.momentum}"
