"""Tutorial 10, §7: training an x(2)–h(8)–y(1) energy network on XOR with equilibrium propagation
(Scellier & Bengio 2017) against the same gradient descent on the true gradient (implicit function
theorem), built on ``nn.energy``; and the section's figure."""
import numpy as np

from ...nn.energy import EnergyNet, ep_gradient, implicit_gradient
from .. import plotting

__all__ = ["XOR_X", "XOR_Y", "flat", "unflat", "cos", "batch_implicit_gradient", "train_xor", "plot_xor"]

XOR_X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], float)
XOR_Y = np.array([[0], [1], [1], [0]], float)


def flat(arrays):
    """The arrays' entries, one after another, as one vector."""
    return np.concatenate([np.ravel(a) for a in arrays])


def unflat(vec, like):
    """The inverse of ``flat``: `vec` cut into arrays shaped like those in `like`."""
    out, k = [], 0
    for p in like:
        out.append(vec[k:k + p.size].reshape(p.shape))
        k += p.size
    return out


def cos(a, b):
    """Cosine similarity of two arrays (flattened)."""
    a, b = np.ravel(a), np.ravel(b)
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))


def batch_implicit_gradient(net, S, Y):
    """Σ over the batch of the implicit-function-theorem gradient (examples are independent)."""
    total = None
    for s0, y in zip(S, Y):
        gr = flat(implicit_gradient(net, s0, y))
        total = gr if total is None else total + gr
    return total


def train_xor(seed, method, epochs, beta, lr, beta_small):
    """Full-batch training on the four XOR examples, ``EnergyNet([2, 8, 1], seed, gain=2)``. Each epoch:
    settle the free phase from the last free fixed point (tol 1e-6), then step θ ← θ − lr·g/4 with g EP's
    estimate at `beta` (method "ep") or the true gradient (method "true"). EP's estimate at `beta_small` is
    computed for the record only. Returns the rows (loss, accuracy, cos(EP at beta, true), cos(EP at
    beta_small, true), ‖step‖, ‖true gradient‖) per epoch and the last outputs ŷ."""
    net_x = EnergyNet([2, 8, 1], seed=seed, gain=2.0)
    S = np.zeros((4, net_x.N))
    S[:, net_x.sl[0]] = XOR_X
    hist = []
    for epoch in range(epochs + 1):
        S, _ = net_x.settle(S, tol=1e-6)
        y_hat = S[:, net_x.sl[-1]]
        loss = 0.5 * np.mean(np.sum((y_hat - XOR_Y) ** 2, axis=1))
        acc = np.mean((y_hat > 0.5) == (XOR_Y > 0.5))
        if epoch == epochs:
            hist.append((loss, acc, np.nan, np.nan, np.nan, np.nan))
            break
        g_ep, g_small = (flat(ep_gradient(net_x, S, b, XOR_Y, tol=1e-6)) for b in (beta, beta_small))
        g_tr = batch_implicit_gradient(net_x, S, XOR_Y)
        step = g_ep if method == "ep" else g_tr
        net_x.set_params([p - lr * d / 4 for p, d in zip(net_x.params(), unflat(step, net_x.params()))])
        hist.append((loss, acc, cos(g_ep, g_tr), cos(g_small, g_tr), np.linalg.norm(step), np.linalg.norm(g_tr)))
    return np.array(hist), y_hat


def plot_xor(xor, seeds, beta, beta_small, name):
    """Left: the loss of EP (solid) and of the true gradient (dotted) per seed; right: cos(EP estimate,
    true gradient) at `beta` (solid) and `beta_small` (dashed). Without matplotlib: nothing."""
    plt = plotting.pyplot(optional=True)
    if plt is None:
        return
    L_ = plotting.label
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(11, 4.2))
    for i, seed in enumerate(seeds):
        a1.semilogy(xor[seed, "ep"][0][:, 0], "-", color=f"C{i}", lw=1.3,
                    label=L_(f"EP，种子 {seed}", f"EP, seed {seed}"))
        a1.semilogy(xor[seed, "true"][0][:, 0], ":", color=f"C{i}", lw=1.3,
                    label=L_(f"真梯度，种子 {seed}", f"true gradient, seed {seed}"))
        a2.plot(xor[seed, "ep"][0][:-1, 2], "-", color=f"C{i}", lw=1)
        a2.plot(xor[seed, "ep"][0][:-1, 3], "--", color=f"C{i}", lw=1)
    a1.set_xlabel(L_("轮数", "epoch"))
    a1.set_ylabel(L_("损失 ½‖ŷ − y*‖²（4 个样本平均）", "loss ½‖ŷ − y*‖² (mean of 4)"))
    a1.set_title(L_("XOR：平衡传播（实线）与真梯度（点线）", "XOR: EP (solid) vs true gradient (dotted)"))
    a1.legend(fontsize=7, ncol=2)
    a1.grid(True, which="major", alpha=0.3)
    a2.set_xlabel(L_("轮数", "epoch"))
    a2.set_ylabel(L_("cos(EP 估计, 真梯度)", "cos(EP estimate, true gradient)"))
    a2.set_title(L_(f"EP 与真梯度的夹角：β = {beta}（实线），β = {beta_small}（虚线）",
                    f"EP vs true gradient: β = {beta} (solid), β = {beta_small} (dashed)"))
    a2.grid(True, alpha=0.3)
    fig.tight_layout()
    plotting.show(fig, name)
