"""The running-parity experiment of tutorial 08 (RHW 1986, fig. 5: an iterative net is a layered net
with shared weights): a synchronous recurrent logistic net run over a bit sequence, its summed error
(RHW eq. (3)), full-batch training by backpropagation through time with eq. (7) momentum, and the
figure of the error curves."""
import numpy as np

from ...core import ops
from ...core.graph import no_grad
from ...core.tensor import Tensor
from ...nn import optim
from .. import plotting

__all__ = ["run_parity_net", "parity_error", "train_parity", "plot_parity_losses"]


def run_parity_net(W, u, b, A):
    """Outputs o(2), ..., o(T+1) of the last unit, one row per sequence; s(t) = σ(s(t-1) Wᵀ + a_t u + b)
    for all sequences at once (each row of s is one sequence's state)."""
    n_seq, T = A.shape
    n = W.shape[0]
    s = Tensor(np.zeros((n_seq, n)))
    outs = []
    for t in range(T + 1):
        a_t = A[:, t:t + 1] if t < T else np.zeros((n_seq, 1))
        s = ops.sigmoid(s @ W.T + Tensor(a_t) * u + b)
        if t >= 1:
            outs.append(s[:, n - 1:n])
    return ops.cat(outs, axis=1)


def parity_error(W, u, b, A, P):
    """RHW eq. (3): ½ Σ (o − p)², over every sequence and every output step."""
    return 0.5 * ((run_parity_net(W, u, b, A) - P) ** 2).sum()


def train_parity(n, seed, A, P, A_long, P_long, max_sweeps=3000, lr=0.02, momentum=0.9):
    """Full-batch BPTT with momentum (RHW eq. (7)) for an n-unit net from U[-0.3, 0.3] (W, then u, then b
    from ``np.random.default_rng(seed)``); stop when every |o - p| < 0.2 (RHW fig. 4) or after
    ``max_sweeps`` epochs. Returns a dict: learned, sweeps (epochs done), losses (E per epoch),
    bits_right (fraction of output bits right on A) and long_right (every bit right on A_long)."""
    r = np.random.default_rng(seed)
    W_ = Tensor(r.uniform(-0.3, 0.3, (n, n)), requires_grad=True, name="W")
    u_ = Tensor(r.uniform(-0.3, 0.3, n), requires_grad=True, name="u")
    b_ = Tensor(r.uniform(-0.3, 0.3, n), requires_grad=True, name="b")
    opt = optim.SGD([W_, u_, b_], lr=lr, momentum=momentum)
    losses = []
    for sweep in range(max_sweeps + 1):
        O = run_parity_net(W_, u_, b_, A)
        E = 0.5 * ((O - P) ** 2).sum()
        losses.append(E.item())
        if np.abs(O.numpy() - P).max() < 0.2 or sweep == max_sweeps:
            break
        opt.zero_grad()
        E.backward()
        opt.step()
    learned = bool(np.abs(O.numpy() - P).max() < 0.2)
    bits_right = float(np.mean((O.numpy() > 0.5) == (P > 0.5)))
    with no_grad():
        long_right = bool(np.all((run_parity_net(W_, u_, b_, A_long).numpy() > 0.5) == (P_long > 0.5)))
    return dict(n=n, seed=seed, learned=learned, sweeps=sweep, losses=losses, bits_right=bits_right,
                long_right=long_right)


def plot_parity_losses(runs, max_sweeps, name="08_parity_loss"):
    """One panel per net size: E per epoch of every run (colour: learned; grey dashed: not learned),
    linear up to 100 epochs and logarithmic after."""
    plt = plotting.pyplot(optional=True)
    if plt is None:
        return
    L = plotting.label
    sizes = list(runs)
    fig, axes = plt.subplots(1, len(sizes), figsize=(4.2 * len(sizes), 3.8), sharex=True, sharey=True)
    for ax, n in zip(axes, sizes):
        rs = runs[n]
        colours = iter(plt.cm.viridis(np.linspace(0, 0.9, max(1, sum(r["learned"] for r in rs)))))
        for r in rs:
            if r["learned"]:
                ax.plot(r["losses"], color=next(colours), lw=1.2)
            else:
                ax.plot(r["losses"], color="0.6", lw=1.0, ls="--")
        ax.axhline(0.5 * 384 * 0.25, color="k", lw=0.6, ls=":")  # all outputs at 0.5
        ax.set_xscale("symlog", linthresh=100)  # linear up to 100 epochs, logarithmic after
        ax.set_xlim(0, max_sweeps)
        ax.set_title(L(f"n = {n} 个单元：{sum(r['learned'] for r in rs)} / {len(rs)} 个随机种子学会",
                       f"n = {n} units: {sum(r['learned'] for r in rs)} / {len(rs)} seeds learn"))
        ax.set_xlabel(L("轮数（64 条序列各用一次为一轮）", "epochs through the 64 sequences"))
        ax.grid(True, alpha=0.3)
    axes[0].set_ylabel(L("误差 E（公式 3）", "error E (eq. 3)"))
    axes[0].text(1, 0.5 * 384 * 0.25 + 2, L("输出全为 0.5 时 E = 48", "E = 48 if every output is 0.5"),
                 fontsize=8)
    fig.suptitle(L(f"逐位奇偶性：随时间反向传播的误差曲线（彩色：学会；灰色虚线：{max_sweeps} 轮内没学会）",
                   f"running parity, BPTT (colour: learned; grey dashed: not within {max_sweeps} epochs)"), fontsize=10)
    fig.tight_layout()
    plotting.show(fig, name)
