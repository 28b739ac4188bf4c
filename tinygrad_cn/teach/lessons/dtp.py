"""The experiments and figures of tutorial 11 (difference target propagation; Bengio et al. 2015 §6,
Lee et al. 2015), built on ``nn.target_prop``: the one-layer comparison of plain and difference
target propagation with a perturbed inverse (T3), DTP's per-layer update against the engine's true
gradient, the training runs (backprop, DTP, DTP with random inverses, top layer only), and the
frozen-network experiment on the inverses (T5)."""
import functools

import numpy as np

from ... import grad, value_and_grad
from ...nn import functional as F
from ...nn.target_prop import (
    dtp_directions,
    dtp_targets,
    exact_inverse_linear,
    f_layer,
    forward_names,
    forward_np,
    g_np,
    init_params,
    n_hidden,
    network_loss,
    train_inverses,
    upper_loss_grad,
)
from .. import plotting

__all__ = ["cos", "make_layer", "tp_vs_dtp", "layer_vec", "angles", "full_loss_acc", "train", "frozen_inverses",
           "plot_difference_correction", "plot_training_curves", "plot_angles_per_layer", "plot_inverse_training"]


def cos(a, b):
    """Cosine similarity of two arrays (flattened)."""
    a, b = np.ravel(a), np.ravel(b)
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))


def make_layer(rng, n=6, scale=1.0):
    """A random square layer (W, b): W ~ N(0, scale²/n), b ~ N(0, 0.01), drawn in that order."""
    W = rng.standard_normal((n, n)) * scale / np.sqrt(n)
    b = 0.1 * rng.standard_normal(n)
    return W, b


def tp_vs_dtp(rng, eps_list, eta, n=6, draws=200):
    """For `draws` random layers and each relative error ε of the inverse g_ε(y) = (W⁻¹ + εM)(atanh y − b):
    cos(displacement, −∂L/∂h_{i−1}) for plain TP (ĥ = g(ĥᵢ)) and for DTP (T3), target ĥᵢ = hᵢ − η̂e.
    Returns two dicts ε → list of cosines."""
    tp_cos = {eps: [] for eps in eps_list}
    dtp_cos = {eps: [] for eps in eps_list}
    for _ in range(draws):
        W, b = make_layer(rng, n)
        U = rng.standard_normal((3, n))
        lab = np.array(int(rng.integers(3)))
        hp = 0.5 * rng.standard_normal(n)
        hi = np.tanh(W @ hp + b)
        # the lambdas are called at once, inside their own iteration
        ek = grad(lambda h: F.cross_entropy(F.linear(h, U), lab))(hi).data  # noqa: B023
        gk = grad(lambda h: F.cross_entropy(F.linear(f_layer(h, W, b), U), lab))(hp).data  # noqa: B023
        Winv = np.linalg.inv(W)
        M = rng.standard_normal((n, n))
        M *= np.linalg.norm(Winv) / np.linalg.norm(M)
        for eps in eps_list:
            def g_eps(y):
                return (Winv + eps * M) @ (np.arctanh(y) - b)  # noqa: B023 (called at once, below)
            target = hi - eta * ek
            tp_cos[eps].append(cos(g_eps(target) - hp, -gk))
            dtp_cos[eps].append(cos(g_eps(target) - g_eps(hi), -gk))
    return tp_cos, dtp_cos


def layer_vec(d, i):
    """A hidden layer's parameters (W_i and b_i) as one vector."""
    return np.concatenate([d[f"W{i}"].ravel(), d[f"b{i}"].ravel()])


@functools.cache
def _true_grad(L):
    return value_and_grad(network_loss, argnums=tuple(range(2, 2 + len(forward_names(L)))))


def true_gradient(P, xb, yb):
    """The engine's ∂L/∂(forward parameters) on one batch, as a dict by name."""
    names = forward_names(n_hidden(P))
    _, gs = _true_grad(n_hidden(P))(xb, yb, *[P[k] for k in names])
    return {k: gk.data for k, gk in zip(names, gs)}


def angles(P, xb, yb, eta_hat, targets=None, g=None):
    """cos(DTP's update, −∂L/∂W) for hidden layers 1…L on one batch, the true gradient from the engine;
    also returns DTP's update and the true gradient (dicts by name)."""
    hs = forward_np(P, xb)
    if targets is None:
        targets, _, _ = dtp_targets(P, hs, yb, eta_hat, g)
    upd = dtp_directions(P, hs, targets)
    tru = true_gradient(P, xb, yb)
    return np.array([cos(layer_vec(upd, i), layer_vec(tru, i)) for i in range(1, n_hidden(P) + 1)]), upd, tru


def full_loss_acc(P, X, y):
    """Mean cross-entropy and accuracy of the network on (X, y)."""
    h = forward_np(P, X)[-1]
    z = h @ P["Wo"].T + P["bo"]
    z = z - z.max(1, keepdims=True)
    logp = z - np.log(np.exp(z).sum(1, keepdims=True))
    return float(-logp[np.arange(len(y)), y].mean()), float((z.argmax(1) == y).mean())


def train(seed, method, steps, data, sizes, *, lr, lr_h, lr_inv, sigma, eta_hat, batch, log_every):
    """method: "bp", "dtp" (inverses trained by (T5)), "dtp_rand" (inverses fixed at their random init)
    or "top" (true gradient, but only the top hidden layer and the output layer learn); data =
    (X_train, y_train, X_test, y_test). The batches come from default_rng(1000 + seed), the (T5) noise from
    default_rng(2000 + seed). Returns the log (rows: step, training loss, test accuracy, every log_every
    steps), the cosines per hidden layer at those steps (DTP only) and the final parameters."""
    X_train, y_train, X_test, y_test = data
    P = init_params(seed, sizes)
    L = n_hidden(P)
    top = (f"W{L}", f"b{L}", "Wo", "bo")
    rng = np.random.default_rng(1000 + seed)          # the same batches for every method
    noise_rng = np.random.default_rng(2000 + seed)
    log, cosines = [], []
    for step in range(steps + 1):
        idx = rng.choice(len(X_train), batch, replace=False)
        xb, yb = X_train[idx], y_train[idx]
        if step % log_every == 0:
            log.append((step, *full_loss_acc(P, X_train, y_train)[:1], full_loss_acc(P, X_test, y_test)[1]))
        if step == steps:
            break
        if method in ("bp", "top"):
            for k, gk in true_gradient(P, xb, yb).items():
                if method == "bp" or k in top:
                    P[k] -= lr * gk
            continue
        hs = forward_np(P, xb)
        if method == "dtp":
            train_inverses(P, hs, noise_rng, lr_inv, sigma)
        targets, gWo, gbo = dtp_targets(P, hs, yb, eta_hat)
        if step % log_every == 0:
            c, upd, _ = angles(P, xb, yb, eta_hat, targets)
            cosines.append(c)
        else:
            upd = dtp_directions(P, hs, targets)
        for i in range(1, L + 1):
            P[f"W{i}"] -= lr_h * upd[f"W{i}"]
            P[f"b{i}"] -= lr_h * upd[f"b{i}"]
        P["Wo"] -= lr * gWo
        P["bo"] -= lr * gbo
    return np.array(log), np.array(cosines), P


def frozen_inverses(seed, inv_steps, X, y, sizes, *, eta_hat, lr_inv, sigma, batch):
    """The forward net frozen at init(seed); only the inverses train by (T5) (batches from
    default_rng(1000 + seed), noise from default_rng(2000 + seed)). Returns, on all of (X, y): the cosines
    per hidden layer after each count in `inv_steps`, the relative reconstruction errors of g_2 … g_L
    there, the cosines with the exact inverse (first-order form), and the per-sample
    cos(ĥᵢ − hᵢ, −∂ℓ/∂hᵢ) with the exact inverse for layers 1 … L − 1."""
    P = init_params(seed, sizes)
    L = n_hidden(P)
    rng = np.random.default_rng(1000 + seed)
    noise_rng = np.random.default_rng(2000 + seed)
    hs_all = forward_np(P, X)
    g_ex = exact_inverse_linear(P, hs_all)
    exact = angles(P, X, y, eta_hat, g=g_ex)[0]
    tg_ex, _, _ = dtp_targets(P, hs_all, y, eta_hat, g=g_ex)
    exact_h = []
    for i in range(1, L):
        dh, gh = tg_ex[i] - hs_all[i], -upper_loss_grad(P, i, hs_all[i], y)
        exact_h.append((dh * gh).sum(1) / (np.linalg.norm(dh, axis=1) * np.linalg.norm(gh, axis=1)))
    frozen = np.zeros((len(inv_steps), L))
    recon = np.zeros((len(inv_steps), L - 1))
    done = 0
    for b_, k in enumerate(inv_steps):
        while done < k:
            idx = rng.choice(len(X), batch, replace=False)
            train_inverses(P, forward_np(P, X[idx]), noise_rng, lr_inv, sigma)
            done += 1
        frozen[b_] = angles(P, X, y, eta_hat)[0]
        recon[b_] = [((g_np(P, i, hs_all[i]) - hs_all[i - 1]) ** 2).sum() /
                     ((hs_all[i - 1] - hs_all[i - 1].mean(0)) ** 2).sum() for i in range(2, L + 1)]
    return frozen, recon, exact, exact_h


def plot_difference_correction(eps_list, tp_med, dtp_med, eta, name):
    """Median cosine against the inverse's relative error ε, plain TP and DTP (ε = 0: dotted line)."""
    plt = plotting.pyplot(optional=True)
    if plt is None:
        return
    L_ = plotting.label
    fig, ax = plt.subplots(figsize=(6.4, 4.0))
    xs = np.array(eps_list[1:])
    ax.semilogx(xs, tp_med[1:], "o-", label=L_("朴素目标传播 ĥ = g(ĥᵢ)", "plain TP ĥ = g(ĥᵢ)"))
    ax.semilogx(xs, dtp_med[1:], "s-", label=L_("差分目标传播 ĥ = h + g(ĥᵢ) − g(hᵢ)", "DTP ĥ = h + g(ĥᵢ) − g(hᵢ)"))
    ax.axhline(dtp_med[0], color="gray", ls=":", label=L_("精确逆 (ε = 0)", "exact inverse (ε = 0)"))
    ax.axhline(0, color="k", lw=0.6)
    ax.set_xlabel(L_("逆映射的相对误差 ε", "relative error ε of the inverse"))
    ax.set_ylabel(L_("cos(ĥᵢ₋₁ − hᵢ₋₁, −∂L/∂hᵢ₋₁)，中位数", "cos(ĥᵢ₋₁ − hᵢ₋₁, −∂L/∂hᵢ₋₁), median"))
    ax.set_title(L_(f"一层、200 个随机层，η̂ = {eta:g}", f"one layer, 200 random layers, η̂ = {eta:g}"))
    ax.legend(fontsize=8)
    ax.grid(True, alpha=0.3)
    fig.tight_layout()
    plotting.show(fig, name)


def plot_training_curves(runs, seeds, methods, names, smooth_k, name):
    """Training loss and test accuracy of every run (thin) and their mean over seeds, running mean over
    `smooth_k` logs (thick)."""
    plt = plotting.pyplot(optional=True)
    if plt is None:
        return
    L_ = plotting.label
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(11, 4))
    k = smooth_k

    def smooth(v):
        return np.convolve(np.pad(v, (k - 1, 0), mode="edge"), np.ones(k) / k, mode="valid")

    for j, m in enumerate(methods):
        logs = np.array([runs[s, m][0] for s in seeds])
        for lg in logs:
            a1.semilogy(lg[:, 0], lg[:, 1], color=f"C{j}", lw=0.5, alpha=0.35)
            a2.plot(lg[:, 0], lg[:, 2], color=f"C{j}", lw=0.5, alpha=0.35)
        a1.semilogy(logs[0, :, 0], smooth(logs[:, :, 1].mean(0)), color=f"C{j}", lw=1.8, label=L_(*names[m]))
        a2.plot(logs[0, :, 0], smooth(logs[:, :, 2].mean(0)), color=f"C{j}", lw=1.8, label=L_(*names[m]))
    a1.set_xlabel(L_("步数（小批量 50）", "step (batch 50)"))
    a1.set_ylabel(L_("训练集平均交叉熵", "training cross-entropy"))
    a1.set_title(L_(f"moons，{len(seeds)} 个种子（细线：各种子；粗线：平均，100 步滑动）",
                    f"moons, {len(seeds)} seeds (thin: each; thick: mean, 100-step running mean)"))
    a1.legend(fontsize=8)
    a1.grid(True, which="both", alpha=0.3)
    a2.set_xlabel(L_("步数（小批量 50）", "step (batch 50)"))
    a2.set_ylabel(L_("测试准确率（1000 点）", "test accuracy (1000 points)"))
    a2.set_ylim(0.8, 1.0)
    a2.set_title(L_("测试准确率", "test accuracy"))
    a2.grid(True, alpha=0.3)
    fig.tight_layout()
    plotting.show(fig, name)


def plot_angles_per_layer(cosines, steps_logged, names, name):
    """Layers 1–3: the cosine of DTP's update with the true gradient over training (median over seeds of a
    running median over 5 logs; band: range over seeds), trained ("dtp") against random ("dtp_rand") inverses."""
    plt = plotting.pyplot(optional=True)
    if plt is None:
        return
    L_ = plotting.label
    fig, axes = plt.subplots(1, 3, figsize=(13, 3.8), sharey=True)
    for i, ax in enumerate(axes):
        for m, ls in (("dtp", "-"), ("dtp_rand", "--")):
            C = cosines[m][:, :, i]
            k = 5
            sm = np.array([[np.median(c[max(0, t - k + 1):t + 1]) for t in range(len(c))] for c in C])
            ax.plot(steps_logged, np.median(sm, 0), ls, color="C1" if m == "dtp" else "C2", lw=1.5,
                    label=L_(*names[m]))
            ax.fill_between(steps_logged, sm.min(0), sm.max(0), color="C1" if m == "dtp" else "C2", alpha=0.12)
        ax.axhline(0, color="k", lw=0.6)
        ax.set_title(L_(f"第 {i + 1} 层", f"layer {i + 1}"))
        ax.set_xlabel(L_("步数", "step"))
        ax.grid(True, alpha=0.3)
    axes[0].set_ylabel(L_("cos(DTP 更新, −∂L/∂W)", "cos(DTP update, −∂L/∂W)"))
    axes[0].legend(fontsize=8, loc="lower left")
    fig.suptitle(L_("每层更新与真梯度的余弦（线：种子中位数；阴影：种子间范围；50 步滑动中位数）",
                    "cosine of each layer's update with the true gradient (line: median over seeds; band: range)"),
                 fontsize=10)
    fig.tight_layout()
    plotting.show(fig, name)


def plot_inverse_training(inv_steps, fz, ex, rc, name):
    """Frozen forward net: the median cosine per layer against the inverses' training steps (dotted: the
    exact inverse), and the relative reconstruction error of g_2 … g_4."""
    plt = plotting.pyplot(optional=True)
    if plt is None:
        return
    L_ = plotting.label
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(11, 3.8))
    xs = np.array(inv_steps, float)
    xs[0] = 3                                            # 0 steps, drawn at the left edge of the log axis
    for i in range(3):
        a1.semilogx(xs, fz[:, i], "o-", color=f"C{i}",
                    label=L_(f"第 {i + 1} 层，训练的逆", f"layer {i + 1}, trained inverse"))
        a1.axhline(ex[i], color=f"C{i}", ls=":", lw=1.2)
    a1.plot([], [], "k:", label=L_("精确逆 f⁻¹（点线）", "exact inverse f⁻¹ (dotted)"))
    a1.axhline(0, color="k", lw=0.6)
    a1.set_xlabel(L_("逆映射训练步数（最左点 = 0 步，随机逆）", "inverse training steps (leftmost = 0, random)"))
    a1.set_ylabel(L_("cos(DTP 更新, −∂L/∂W)，种子中位数", "cos(DTP update, −∂L/∂W), median"))
    a1.set_title(L_("前向网络固定在初始值", "forward net frozen at init"))
    a1.legend(fontsize=7)
    a1.grid(True, which="both", alpha=0.3)
    for i in range(3):
        a2.loglog(xs, rc[:, i], "o-", color=f"C{i + 1}", label=L_(f"g{i + 2}", f"g{i + 2}"))
    a2.set_xlabel(L_("逆映射训练步数", "inverse training steps"))
    a2.set_ylabel(L_("相对重建误差 ‖g(hᵢ) − hᵢ₋₁‖² / 方差", "relative reconstruction error"))
    a2.set_title(L_("降噪重建损失 (T5) 训练 gᵢ", "training gᵢ on the denoising loss (T5)"))
    a2.legend(fontsize=8)
    a2.grid(True, which="both", alpha=0.3)
    fig.tight_layout()
    plotting.show(fig, name)
