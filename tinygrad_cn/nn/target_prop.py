"""Difference target propagation (DTP) on a tanh network with learned inverses (tutorial 11).

Sources (docs/references.md): Y. Bengio, D.-H. Lee, J. Bornschein, T. Mesnard, Z. Lin, "Towards
biologically plausible deep learning", arXiv:1502.04156 (2015), §6; D.-H. Lee, S. Zhang,
A. Fischer, Y. Bengio, "Difference target propagation", ECML PKDD 2015. Equation labels are
tutorial 11's (the summary we read has no equations):

    (T1)  h_i = f_i(h_{i−1}) = tanh(W_i h_{i−1} + b_i)
    (T2)  ĥ_L = h_L − η̂ ∂L/∂h_L                                the top hidden layer's target
    (T3)  ĥ_{i−1} = h_{i−1} + g_i(ĥ_i) − g_i(h_i)              the difference correction
    (T4)  ‖f_i(h_{i−1}) − ĥ_i‖², h_{i−1} and ĥ_i constants     each layer's local loss
    (T5)  ‖g_i(f_i(h_{i−1} + ε)) − (h_{i−1} + ε)‖²              the inverse, a denoising autoencoder

Parameters are a dict of NumPy arrays: W1, b1, …, W_L, b_L (forward), V2, c2, …, V_L, c_L (the
inverses g_i(h) = tanh(V_i h + c_i); layer 1 has none: below it is the input), Wo, bo (linear
output, softmax cross-entropy). Rows of a batch are samples. Every gradient is the engine's.
"""
import numpy as np

from ..core.ops import tanh
from ..core.transforms import grad
from . import functional as F

__all__ = ["f_layer", "exact_inverse_np", "init_params", "n_hidden", "forward_names", "forward_np", "g_np",
           "network_loss", "top_grad", "local_loss", "local_grad", "inverse_loss", "inverse_grad",
           "train_inverses", "dtp_targets", "dtp_directions", "exact_inverse_linear", "upper_loss_grad"]


def f_layer(h, W, b):
    """(T1): tanh(W h + b) on engine tensors (h: one sample or rows of samples)."""
    return tanh(F.linear(h, W, b))


def exact_inverse_np(y, W, b):
    """The exact inverse of ``f_layer`` for a square invertible W: W⁻¹(atanh(y) − b) (one sample)."""
    return np.linalg.solve(W, np.arctanh(y) - b)


def init_params(seed, sizes=(2, 16, 16, 16, 16, 2)):
    """The parameter dict for layer sizes (input, hidden…, output): W_i ~ N(0, 1/n_{i−1}),
    V_i ~ N(0, 1/n_i), biases 0, all from ``default_rng(seed)`` in the order W1, V2 (with W2), …, Wo."""
    rng = np.random.default_rng(seed)
    P = {}
    for i in range(1, len(sizes) - 1):
        P[f"W{i}"] = rng.standard_normal((sizes[i], sizes[i - 1])) / np.sqrt(sizes[i - 1])
        P[f"b{i}"] = np.zeros(sizes[i])
        if i >= 2:
            P[f"V{i}"] = rng.standard_normal((sizes[i - 1], sizes[i])) / np.sqrt(sizes[i])
            P[f"c{i}"] = np.zeros(sizes[i - 1])
    P["Wo"] = rng.standard_normal((sizes[-1], sizes[-2])) / np.sqrt(sizes[-2])
    P["bo"] = np.zeros(sizes[-1])
    return P


def n_hidden(P):
    """The number of hidden layers L of a parameter dict."""
    return sum(1 for k in P if k[0] == "W" and k[1:].isdigit())


def forward_names(L):
    """The forward parameters' names in ``network_loss``'s order: W1, b1, …, W_L, b_L, Wo, bo."""
    return [f"{p}{i}" for i in range(1, L + 1) for p in "Wb"] + ["Wo", "bo"]


def forward_np(P, X):
    """h_0 = x, h_1 … h_L (plain NumPy: the values only)."""
    hs = [X]
    for i in range(1, n_hidden(P) + 1):
        hs.append(np.tanh(hs[-1] @ P[f"W{i}"].T + P[f"b{i}"]))
    return hs


def g_np(P, i, h):
    """The learned inverse g_i(h) = tanh(V_i h + c_i), layer i → layer i − 1 (NumPy)."""
    return np.tanh(h @ P[f"V{i}"].T + P[f"c{i}"])


def network_loss(xb, yb, *ps):
    """The network's loss (mean cross-entropy) as a function of the forward parameters, in
    ``forward_names`` order; differentiate it with the engine for backprop's true gradient."""
    h = xb
    for i in range((len(ps) - 2) // 2):
        h = f_layer(h, ps[2 * i], ps[2 * i + 1])
    return F.cross_entropy(F.linear(h, ps[-2], ps[-1]), yb)


# per-sample ∂ℓ/∂h_L (loss summed over the batch) and the output layer's gradient
top_grad = grad(lambda h, W, b, yb: F.cross_entropy(F.linear(h, W, b), yb, reduction="sum"), argnums=(0, 1, 2))


def local_loss(h_prev, target, W, b):
    """(T4): (1/B) Σ ‖f(h_prev) − target‖², with h_prev and target constants."""
    d = f_layer(h_prev, W, b) - target
    return (d * d).sum() / h_prev.shape[0]


local_grad = grad(local_loss, argnums=(2, 3))


def inverse_loss(h_noisy, W, b, V, c):
    """(T5): (1/B) Σ ‖g(f(h + ε)) − (h + ε)‖², a denoising autoencoder with f as the encoder."""
    d = tanh(F.linear(f_layer(h_noisy, W, b), V, c)) - h_noisy
    return (d * d).sum() / h_noisy.shape[0]


inverse_grad = grad(inverse_loss, argnums=(3, 4))


def train_inverses(P, hs, rng, lr_inv, sigma):
    """One gradient step of (T5) for every inverse g_2 … g_L (in place), the input of layer i
    corrupted with N(0, σ²) noise drawn from ``rng``; the forward weights are constants."""
    for i in range(2, n_hidden(P) + 1):
        h_noisy = hs[i - 1] + sigma * rng.standard_normal(hs[i - 1].shape)
        gV, gc = inverse_grad(h_noisy, P[f"W{i}"], P[f"b{i}"], P[f"V{i}"], P[f"c{i}"])
        P[f"V{i}"] -= lr_inv * gV.data
        P[f"c{i}"] -= lr_inv * gc.data


def dtp_targets(P, hs, yb, eta_hat, g=None):
    """(T2) and (T3): the targets {L: ĥ_L, …, 1: ĥ_1} and the output layer's mean gradient (gWo,
    gbo). ``g(i, h)`` is the inverse to use (default: the learned ``g_np``)."""
    g = g or (lambda i, h: g_np(P, i, h))
    L = n_hidden(P)
    e, gWo, gbo = top_grad(hs[L], P["Wo"], P["bo"], yb)
    targets = {L: hs[L] - eta_hat * e.data}
    for i in range(L, 1, -1):
        targets[i - 1] = hs[i - 1] + g(i, targets[i]) - g(i, hs[i])
    return targets, gWo.data / len(yb), gbo.data / len(yb)


def dtp_directions(P, hs, targets):
    """The gradients of the local losses (T4), {W1, b1, …}: DTP's update is −lr_h times these."""
    out = {}
    for i in range(1, n_hidden(P) + 1):
        gW, gb = local_grad(hs[i - 1], targets[i], P[f"W{i}"], P[f"b{i}"])
        out[f"W{i}"], out[f"b{i}"] = gW.data, gb.data
    return out


def exact_inverse_linear(P, hs):
    """The exact inverse g_i = f_i⁻¹ in its first-order form (η̂ → 0): g_i(ĥ) − g_i(h_i) = J_i⁻¹(ĥ − h_i) with
    J_i = diag(1 − h_i²) W_i per sample. Only differences of g enter (T3), so this is all DTP needs; using the
    linear map avoids both targets outside (−1, 1) and the cancellation in atanh(ĥ) − atanh(h) at tiny η̂."""
    return lambda i, h: np.linalg.solve(P[f"W{i}"], (h / (1 - hs[i] ** 2)).T).T


def upper_loss_grad(P, i, h, y):
    """Per-sample ∂ℓ/∂h_i (cross-entropy against labels y summed over the batch, so rows decouple)."""
    def loss(h):
        for j in range(i + 1, n_hidden(P) + 1):
            h = f_layer(h, P[f"W{j}"], P[f"b{j}"])
        return F.cross_entropy(F.linear(h, P["Wo"], P["bo"]), y, reduction="sum")
    return grad(loss)(h).data
