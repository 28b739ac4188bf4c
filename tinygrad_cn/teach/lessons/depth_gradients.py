"""The experiment and figures of the lesson on activations and vanishing gradients (tutorial 05):
the gradient of every layer of a deep net at initialisation (NNDL eqs. 5.80–5.82, §5.7.4), and the
activations with their engine-computed derivatives (table 5.1, figs. 5.2–5.4)."""
import numpy as np

from ...core.tensor import Tensor
from ...core.transforms import grad
from ...nn import functional as F
from ...nn import init
from ...nn.activations import get_activation
from ...nn.layers import Linear, Sequential
from .. import plotting

__all__ = ["normal_init", "xavier_init", "make_net", "gradient_norms", "plot_activations", "plot_gradient_norms"]


def normal_init(std):
    """An ``init=`` for ``nn.Linear``: N(0, std²) (NNDL §5.7.4's Gaussian initialisation)."""
    return lambda shape, dtype, rng: init.normal(shape, std=std, dtype=dtype, rng=rng)


def xavier_init(gain):
    """An ``init=`` for ``nn.Linear``: Xavier uniform with ``gain`` (eq. 5.101 times gain)."""
    return lambda shape, dtype, rng: init.xavier_uniform(shape, gain=gain, dtype=dtype, rng=rng)


def make_net(act, hidden_init, output_init, rng, depth=10, width=64, classes=10):
    """``depth`` Linear layers (width ``width``, the last one to ``classes`` logits), ``act`` between them."""
    layers = []
    for l in range(1, depth + 1):
        last = l == depth
        layers.append(Linear(width, classes if last else width, init=output_init if last else hidden_init, rng=rng))
        if not last:
            layers.append(get_activation(act))
    return Sequential(*layers)


def gradient_norms(net, act, rng, batch=128):
    """One backward() of softmax cross-entropy at initialisation, on x ~ N(0, I) and random classes.
    Returns ‖δ⁽ˡ⁾‖ (rms over samples of δ_i = N·z.grad row i, tutorial 04), ‖∂R/∂W⁽ˡ⁾‖_F for each
    layer, and the fraction of hidden units with f′(z) < f′(0)/10 (logistic, tanh; else NaN)."""
    linears = [m for m in net if isinstance(m, Linear)]
    X = rng.standard_normal((batch, linears[0].in_features))
    labels = rng.integers(0, linears[-1].out_features, batch)
    h, zs = Tensor(X), []
    for m in net:
        h = m(h)
        if isinstance(m, Linear):
            zs.append(h.retain_grad())
    F.cross_entropy(h, labels).backward()
    delta = np.array([np.sqrt(np.mean(np.sum((batch * z.grad.data) ** 2, axis=1))) for z in zs])
    dW = np.array([np.linalg.norm(m.weight.grad.data) for m in linears])
    saturated = np.nan
    if act in ("logistic", "tanh"):
        f = F.logistic if act == "logistic" else F.tanh
        z_hidden = np.concatenate([z.data.ravel() for z in zs[:-1]])
        slopes = grad(lambda t: f(t).sum())(z_hidden).numpy()          # f′(z) by the engine
        saturated = float(np.mean(slopes < grad(f)(0.0).item() / 10))
    return delta, dW, saturated


def plot_activations(plt, xs, val, der, name):
    """Each activation (left) and its derivative (right) in three groups as NNDL figs. 5.2–5.4;
    ``val``, ``der``: {name: values on ``xs``}. Saved as <OUT>/<name>.png."""
    L = plotting.label
    groups = [(L("Sigmoid 型函数（图 5.2）", "fig. 5.2"), ["logistic", "tanh"]),
              (L("分段线性近似（图 5.3）", "fig. 5.3"), ["hard-logistic", "hard-tanh", "logistic", "tanh"]),
              (L("ReLU 一族与 softplus（图 5.4）", "fig. 5.4"), ["ReLU", "leaky ReLU", "ELU", "softplus", "Swish"])]
    fig, axes = plt.subplots(3, 2, figsize=(11, 11))
    for row, (title, names) in enumerate(groups):
        for k, n in enumerate(names):
            dotted = row == 1 and k >= 2                          # the originals under their approximations
            kw = dict(color=f"C{k % 2 if row == 1 else k}", ls=":" if dotted else "-", label=n,
                      lw=5.0 if n == "ReLU" else (1.0 if dotted else 1.8), alpha=0.35 if n == "ReLU" else 1.0)
            axes[row, 0].plot(xs, val[n], **kw)
            axes[row, 1].plot(xs, der[n], **kw)
        for ax, ylabel in zip(axes[row], (L("函数值 f(x)", "f(x)"), L("导数 f′(x)（引擎的反向模式）", "f′(x)"))):
            ax.axhline(0, color="gray", lw=0.6)
            ax.axvline(0, color="gray", lw=0.6)
            ax.set_ylabel(ylabel)
            ax.grid(True, alpha=0.3)
            ax.legend(fontsize=8, loc="upper left")
        axes[row, 0].set_title(title, fontsize=10)
    axes[0, 1].axhline(0.25, color="C0", lw=0.6, ls="--")
    axes[2, 0].set_ylim(-1.5, 5)
    fig.tight_layout()
    plotting.show(fig, name)


def plot_gradient_norms(plt, delta_runs, dW_runs, legend, title, name):
    """‖δ⁽ˡ⁾‖ (top) and ‖∂R/∂W⁽ˡ⁾‖ (bottom) per layer on a log axis, one column per activation:
    the median over seeds as a line, min–max shaded. ``*_runs``: {(act, kind): seeds × layers};
    ``legend``: {(act, kind): label}. Saved as <OUT>/<name>.png."""
    L = plotting.label
    acts = list(dict.fromkeys(a for a, _ in delta_runs))
    fig, axes = plt.subplots(2, len(acts), figsize=(14, 8.5), sharex=True)
    for col, act in enumerate(acts):
        for row, data in enumerate((delta_runs, dW_runs)):
            ax = axes[row, col]
            for k, ((a, kind), runs) in enumerate((key, v) for key, v in data.items() if key[0] == act):
                layers = np.arange(1, runs.shape[1] + 1)
                ax.semilogy(layers, np.median(runs, axis=0), "-", color=f"C{k}", marker="os^"[k], ms=4,
                            label=legend[(a, kind)])
                ax.fill_between(layers, runs.min(axis=0), runs.max(axis=0), color=f"C{k}", alpha=0.15)
                ax.set_xticks(layers)
            ax.grid(True, which="major", alpha=0.3)
        axes[0, col].set_title(act)
        axes[0, col].legend(fontsize=8, loc="lower right")
        axes[1, col].set_xlabel(L("层 l（1 = 最靠近输入）", "layer l"))
    axes[0, 0].set_ylabel(L("误差项 ‖δ⁽ˡ⁾‖（样本均方根）", "‖δ⁽ˡ⁾‖"))
    axes[1, 0].set_ylabel(L("权重梯度 ‖∂R/∂W⁽ˡ⁾‖_F", "‖∂R/∂W⁽ˡ⁾‖_F"))
    fig.suptitle(title)
    fig.tight_layout()
    plotting.show(fig, name)
