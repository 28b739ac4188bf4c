"""Activation and loss functions, each composed of the engine's primitives (``import
tinygrad_cn.functional as F``).

Nothing here has a derivative rule of its own: every function is a composition of ops from
``ops.PRIMITIVES`` (where, maximum, exp, sigmoid, softplus, logsumexp, ...), so reverse mode,
forward mode and derivatives of derivatives all come from the primitives' rules. Numbers follow
the draft of 邱锡鹏,《神经网络与深度学习》 (2020), ch. 5 (published: ch. 4; see
``docs/references.md``); the published section is given beside.

Conventions where a function has a kink (tested in tests/test_nn.py):
relu'(0) = 0 and leaky_relu'(0) = prelu'(0) = λ (= a): at 0 the slope of the left branch, as
PyTorch does (the book gives no derivative at 0; eq. 5.16 writes x = 0 on the side "x ≥ 0", eqs.
5.18 and 5.20 on the side "x ≤ 0"); hard_logistic and hard_tanh have derivative 0 outside the *open*
linear region, so 0 at the kinks too; maxout splits the gradient evenly among tied pieces.

Losses reduce in two steps: first over everything but the batch axis (axis 0) to give one loss per
sample, then ``reduction="mean"`` averages over the samples (NNDL eq. 5.36's 1/N Σ_i, and the
mini-batch average of eq. 5.84), ``"sum"`` adds them up (RHW eq. 3's Σ_c) and ``"none"`` returns
the per-sample losses. A 1-D prediction is one sample.
"""
import numpy as np

from ..core import ops
from ..core.tensor import Tensor, as_tensor
from .init import as_rng
from .module import Module, weights

__all__ = [
    "adaptive_logistic", "adaptive_tanh", "batch_norm", "binary_cross_entropy",
    "binary_cross_entropy_with_logits", "cross_entropy", "dropout", "elu", "hard_logistic",
    "hard_tanh", "l2_penalty", "leaky_relu", "linear", "log_softmax", "logistic", "maxout",
    "one_hot", "prelu", "relu", "sigmoid", "softmax", "softplus", "squared_error", "swish", "tanh"
]


def _const_like(arr, like):
    """A constant tensor (never differentiated) in the floating dtype of ``like``, around ``arr``
    itself when it has that dtype: callers pass a fresh array that nothing else holds."""
    return Tensor.wrap(np.asarray(arr, dtype=like.dtype if like.dtype.kind == "f" else np.float64))


# ==== the layer map ===========================================================================
def linear(x, weight, bias=None):
    """z = W a + b (eq. 5.26; published eq. 4.31) for one sample ``a`` of shape (n_{l−1},), or
    Z = X Wᵀ + b for a batch X of shape (N, n_{l−1}) whose rows are samples. ``weight`` has NNDL's
    shape (n_l, n_{l−1})."""
    x = as_tensor(x)
    z = x @ ops.transpose(weight)
    return z if bias is None else z + bias


# ==== activations (NNDL §5.1.2 and table 5.1; published §4.1.2, table 4.1) =======================
def logistic(x):
    """σ(x) = 1/(1 + e^{−x}) (eq. 5.4); σ' = σ(1 − σ) (table 5.1). The engine's ``sigmoid``
    primitive, stable for any x."""
    return ops.sigmoid(as_tensor(x))


sigmoid = logistic


def tanh(x):
    """tanh(x) = (e^x − e^{−x})/(e^x + e^{−x}) = 2σ(2x) − 1 (eqs. 5.5, 5.6); tanh' = 1 − tanh²."""
    return ops.tanh(as_tensor(x))


def _clipped_linear(g, low, high):
    """g where low < g < high (the open linear region), else the constant low or high: the
    derivative is g' inside and 0 outside, the kinks included."""
    inside = ops.where(g > low, g < high, False)      # recorded masks: a compiled program recomputes them
    return ops.where(inside, g, ops.where(g >= high, _const_like(high, g), _const_like(low, g)))


def hard_logistic(x):
    """max(min(0.25x + 0.5, 1), 0) (eqs. 5.7–5.11): the logistic function's first-order Taylor
    line at 0, g_l(x) = σ(0) + σ'(0)x, clipped to [0, 1]. Derivative 1/4 for −2 < x < 2, else 0."""
    x = as_tensor(x)
    return _clipped_linear(0.25 * x + 0.5, 0, 1)


def hard_tanh(x):
    """max(min(x, 1), −1) (eqs. 5.12–5.15). Derivative 1 for −1 < x < 1, else 0."""
    x = as_tensor(x)
    return _clipped_linear(x, -1, 1)


def relu(x):
    """rectifier(x) = max(0, x) (eqs. 5.16, 5.17); relu'(0) = 0."""
    return ops.relu(as_tensor(x))


def leaky_relu(x, negative_slope=0.01):
    """x if x > 0 else λx (eq. 5.18) = max(0, x) + λ min(0, x) (eq. 5.19), with λ =
    ``negative_slope`` (the book suggests 0.01); the derivative at 0 is λ."""
    return prelu(x, negative_slope)


def prelu(x, a):
    """PReLU_i(x) = x if x > 0 else a_i x (eqs. 5.20, 5.21): ``a`` is learnable, one slope per
    neuron (shape (n,), broadcast over the last axis of x) or one shared slope (shape () or (1,))."""
    x = as_tensor(x)
    return ops.where(x > 0, x, a * x)


def softplus(x):
    """softplus(x) = log(1 + e^x) (eq. 5.22), computed as logaddexp(0, x); softplus' = σ."""
    return ops.softplus(as_tensor(x))


def maxout(z, k):
    """max_{i∈[1,k]} z_i (eq. 5.25) over groups of ``k`` consecutive net inputs: the last axis of
    ``z`` (length n·k, the z_i of eq. 5.23 for n units) becomes n outputs. Ties share the gradient."""
    z = as_tensor(z)
    n = z.shape[-1]
    if n % k:
        raise ValueError(f"maxout: the last axis has {n} net inputs, not a multiple of k = {k}")
    return ops.max(ops.reshape(z, z.shape[:-1] + (n // k, k)), axis=-1)


def elu(x, alpha=1.0):
    """ELU (Clevert et al. 2016): x if x > 0 else α(e^x − 1). The exponential is taken of
    min(x, 0) (built with ``where``), so a large positive x never overflows in the unused branch."""
    x = as_tensor(x)
    pos = x > 0
    neg_part = ops.where(pos, _const_like(0.0, x), x)
    return ops.where(pos, x, alpha * (ops.exp(neg_part) - 1))


def swish(x, beta=1.0):
    """Swish (Ramachandran et al. 2017): x·σ(βx); β may be a number or a learnable tensor."""
    x = as_tensor(x)
    return x * ops.sigmoid(beta * x)


def softmax(x, axis=-1):
    """softmax(x)_c = e^{x_c}/Σ_k e^{x_k} (eq. 5.34), as exp(log_softmax(x))."""
    return ops.softmax(as_tensor(x), axis)


def log_softmax(x, axis=-1):
    """x − logsumexp(x): finite for logits of any size."""
    return ops.log_softmax(as_tensor(x), axis)


# ==== adaptive activations (《神经网络的联合学习猜想》, 2016; see nn.adaptive) ======================
def adaptive_logistic(u, alpha, beta):
    """h(u) = 1/(1 + e^{−(αu + β)}) (the 2016 report's §3, fig. 3.1), α the slope, β the offset."""
    return ops.sigmoid(alpha * as_tensor(u) + beta)


def adaptive_tanh(u, alpha, beta):
    """h(u) = tanh(αu + β) (the 2016 report's appendix B)."""
    return ops.tanh(alpha * as_tensor(u) + beta)


# ==== regularisation layers, as functions ======================================================
def dropout(x, p=0.5, training=True, rng=None, mask=None):
    """Inverted dropout: in training, each element is kept with probability q = 1 − p and the kept
    ones are divided by q; otherwise ``x`` is returned unchanged. How this relates to the book's
    test-time scaling: docs/derivations/dropout.md. ``mask`` (boolean, True = keep) replaces the
    random draw, for checking gradients with a fixed mask."""
    x = as_tensor(x)
    if not 0 <= p < 1:
        raise ValueError(f"dropout: the drop probability p must be in [0, 1), got {p}")
    if not training or p == 0:
        return x
    q = 1.0 - p
    if mask is None:
        mask = as_rng(rng).random(x.shape) < q
    mask = np.asarray(mask.data if isinstance(mask, Tensor) else mask)
    if mask.dtype != bool or mask.shape != x.shape:
        raise ValueError(f"dropout: mask must be boolean of shape {x.shape}, got {mask.dtype} "
                         f"{mask.shape}")
    return x * _const_like(mask / q, x)


def batch_norm(x, gamma=None, beta=None, eps=1e-5):
    """Algorithm 5.2 (published §7.5.1) on a mini-batch ``x`` of shape (m, K), training mode: per
    feature k, μ_B = mean over the batch, σ²_B = mean of (x − μ_B)² (the biased 1/m variance, as in
    the algorithm), x̂ = (x − μ_B)/√(σ²_B + ε), y = γ x̂ + β (eq. 5.89). Returns (y, μ_B, σ²_B);
    the statistics are tensors in the graph (the gradient flows through them)."""
    x = as_tensor(x)
    mu = ops.mean(x, axis=0, keepdims=True)
    d = x - mu
    var = ops.mean(d * d, axis=0, keepdims=True)
    xhat = d / ops.sqrt(var + eps)
    y = xhat
    if gamma is not None:
        y = y * gamma
    if beta is not None:
        y = y + beta
    return y, ops.reshape(mu, mu.shape[1:]), ops.reshape(var, var.shape[1:])


# ==== losses (NNDL §5.2.2, eqs. 5.35, 5.36; RHW eq. 3) ============================================
def _reduce(per_sample, reduction, who):
    if reduction == "mean":
        return ops.mean(per_sample)
    if reduction == "sum":
        return ops.sum(per_sample)
    if reduction == "none":
        return per_sample
    raise ValueError(f"{who}: reduction must be 'mean', 'sum' or 'none', got {reduction!r}")


def _per_sample(elementwise):
    """Sum over every axis but the first (a 1-D or 0-d input is one sample)."""
    if elementwise.ndim <= 1:
        return ops.reshape(ops.sum(elementwise), (1,))
    return ops.sum(elementwise, axis=tuple(range(1, elementwise.ndim)))


def _target(target, like, who):
    d = target if isinstance(target, Tensor) else Tensor(np.asarray(target))
    if d.dtype != like.dtype and d.dtype.kind in "biuf":
        d = Tensor.wrap(d.data.astype(like.dtype)) if not d.requires_grad else d
    if d.shape != like.shape:
        raise ValueError(f"{who}: target shape {d.shape} differs from prediction shape {like.shape}"
                         "; they must be equal (reshape the target, e.g. y.reshape(-1, 1))")
    return d


def squared_error(y, d, reduction="mean"):
    """½‖d − y‖² per sample (the 2016 report's e, RHW eq. 3 for one case), then reduced over samples:
    ``"sum"`` gives RHW's E = ½ Σ_c Σ_j (y_{j,c} − d_{j,c})²; ``"mean"`` (default) gives
    (1/N) Σ_c ½‖d_c − y_c‖², eq. 5.36's data term with L = ½‖d − y‖². Its gradient with respect to
    y is y − d (RHW eq. 4), divided by N for ``"mean"``."""
    y = as_tensor(y)
    d = _target(d, y, "squared_error")
    diff = y - d
    return _reduce(0.5 * _per_sample(diff * diff), reduction, "squared_error")


def binary_cross_entropy_with_logits(z, d, reduction="mean"):
    """−[d log σ(z) + (1 − d) log(1 − σ(z))] per unit, summed per sample, from the logit z (the
    output unit's net input) and the target d ∈ [0, 1]. Computed as softplus(z) − d·z, since
    −log σ(z) = softplus(−z) = softplus(z) − z: finite for any z, and its derivative is σ(z) − d."""
    z = as_tensor(z)
    d = _target(d, z, "binary_cross_entropy_with_logits")
    return _reduce(_per_sample(ops.softplus(z) - d * z), reduction, "binary_cross_entropy_with_logits")


def binary_cross_entropy(p, d, reduction="mean", eps=1e-12):
    """−[d log p + (1 − d) log(1 − p)] from probabilities p (clipped to [ε, 1 − ε] inside the
    logs). Prefer ``binary_cross_entropy_with_logits``: from logits no clipping is needed."""
    p = as_tensor(p)
    d = _target(d, p, "binary_cross_entropy")
    lo = ops.maximum(p, eps)
    hi = ops.maximum(1 - p, eps)
    return _reduce(_per_sample(-(d * ops.log(lo) + (1 - d) * ops.log(hi))), reduction,
                   "binary_cross_entropy")


def _labels(labels, num_classes, who):
    """Integer class labels as an int array, checked to lie in [0, num_classes)."""
    labels = np.asarray(labels.data if isinstance(labels, Tensor) else labels)
    if labels.dtype.kind not in "iu":
        if labels.dtype.kind == "f" and np.all(labels == np.round(labels)):
            labels = labels.astype(np.int64)
        else:
            raise TypeError(f"{who}: labels must be integers, got dtype {labels.dtype}")
    if labels.size and (labels.min() < 0 or labels.max() >= num_classes):
        raise ValueError(f"{who}: labels must be in [0, {num_classes}), got "
                         f"{labels.min()}..{labels.max()}")
    return labels


def one_hot(labels, num_classes, dtype=np.float64):
    """Integer labels (any shape) → one-hot vectors (shape + (num_classes,))."""
    return np.eye(num_classes, dtype=dtype)[_labels(labels, num_classes, "one_hot")]


def cross_entropy(logits, target, reduction="mean"):
    """Softmax cross-entropy from logits: L = −yᵀ log ŷ with ŷ = softmax(z) (eqs. 5.34, 5.35;
    published eq. 4.37), computed from log_softmax(z) so that it is finite for any logits.

    ``logits`` has shape (N, C) (or (C,) for one sample); ``target`` is integer class labels of
    shape (N,) (or a 0-d label) or one-hot / probability vectors of the logits' shape. With labels,
    L = −log ŷ_label is gathered (``logp[rows, labels]``, whose reverse rule scatter-adds), the same
    number as −yᵀ log ŷ with the one-hot y. The derivative with respect to z is ŷ − y per sample."""
    z = as_tensor(logits)
    t = np.asarray(target.data if isinstance(target, Tensor) else target)
    if t.shape == z.shape and t.dtype.kind in "biuf":          # one-hot / probability rows
        y = _target(target, z, "cross_entropy")
        return _reduce(_per_sample(-(y * ops.log_softmax(z, -1))), reduction, "cross_entropy")
    if t.dtype.kind in "iu" and t.shape == z.shape[:-1]:
        labels = _labels(t, z.shape[-1], "cross_entropy").reshape(-1)
        logp = ops.reshape(ops.log_softmax(z, -1), (labels.size, z.shape[-1]))
        picked = -logp[np.arange(labels.size), labels]                # −log ŷ_label, one per row
        per_sample = (ops.reshape(picked, (1,)) if z.ndim == 1 else
                      ops.reshape(picked, t.shape) if z.ndim == 2 else
                      ops.sum(ops.reshape(picked, t.shape), axis=tuple(range(1, z.ndim - 1))))
        return _reduce(per_sample, reduction, "cross_entropy")
    raise ValueError(f"cross_entropy: for logits of shape {z.shape} the target must be integer "
                     f"labels of shape {z.shape[:-1]} or one-hot rows of shape {z.shape}; got "
                     f"dtype {t.dtype}, shape {t.shape}")


def l2_penalty(params, lam):
    """½λ‖W‖²_F = ½λ Σ_l Σ_ij (W_ij⁽ˡ⁾)² (eqs. 5.36, 5.38; published eq. 4.62): ``params`` is an
    iterable of weight tensors, or a Module, of which only the weight matrices are taken
    (``nn.weights(module)``: parameters named ``weight``; biases, BatchNorm's γ and β, PReLU's and
    the adaptive units' parameters are not penalised, as the book's margin note says). Its
    gradient is λW."""
    ps = weights(params) if isinstance(params, Module) else list(params)
    if not ps:
        raise ValueError("l2_penalty: no weight tensors given")
    total = None
    for w in ps:
        s = ops.sum(w * w)
        total = s if total is None else total + s
    return 0.5 * lam * total
