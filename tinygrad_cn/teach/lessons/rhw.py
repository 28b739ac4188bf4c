"""The mirror-symmetry experiment of Rumelhart, Hinton & Williams 1986 (fig. 1) for tutorial 06:
the 6-2-1 logistic net (eqs. (1), (2)), the summed error E (eq. (3)), full-batch epochs with the
momentum rule (eq. (7) of the translation, (9) of Nature's text), a plain-NumPy copy of RHW's
backward pass to check the engine against, and the tutorial's figures."""
import time

import numpy as np

from ...core import ops
from ...core.compile import jit
from ...core.tensor import Tensor
from ...nn import functional as F
from ...nn import init, optim
from ...nn.datasets import mirror_symmetry
from ...nn.module import Module, Parameter
from .. import plotting

__all__ = ["X", "d", "X_T", "SYM", "RHW_EPOCHS", "MirrorNet", "error", "numpy_rhw", "engine_rhw", "Run",
           "all_right", "stacked_nets", "train_all", "experiment", "summary", "check_quoted", "plot_error_curves",
           "plot_escape_time", "plot_weights"]

X, d = mirror_symmetry()  # the 64 patterns (64 × 6) and targets (64 × 1): 1 = symmetric
X_T = Tensor(X, name="X")
SYM = d[:, 0] == 1  # the 8 symmetric patterns
RHW_EPOCHS = 1425  # RHW fig. 1: 1,425 epochs (the translation's "遍历")


class MirrorNet(Module):
    """RHW fig. 1: 6 inputs, `hidden` logistic hidden units, 1 logistic output; `direct` adds
    input→output connections. All weights and biases start U(−0.3, 0.3), drawn from
    ``np.random.default_rng(seed)`` in a fixed order: the 6-2-1 net's W1, b1, W2, b2 first, then
    the extra weights (so the 6-2-1 part of every variant starts the same for one seed)."""

    def __init__(self, seed, hidden=2, direct=False):
        super().__init__()
        rng = np.random.default_rng(seed)

        def u(*shape):
            return init.uniform(shape, -0.3, 0.3, rng=rng)

        W1, b1, W2, b2 = u(2, 6), u(2), u(1, 2), u(1)  # the 6-2-1 net, always drawn first
        if hidden > 2:
            W1 = np.vstack([W1, u(hidden - 2, 6)])
            b1 = np.concatenate([b1, u(hidden - 2)])
            W2 = np.hstack([W2, u(1, hidden - 2)])
        self.W1, self.b1 = Parameter(W1, name="W1"), Parameter(b1, name="b1")
        self.W2, self.b2 = Parameter(W2, name="W2"), Parameter(b2, name="b2")
        self.direct = direct
        if direct:
            self.Wd = Parameter(u(1, 6), name="Wd")

    def hidden(self, x):
        return F.logistic(F.linear(x, self.W1, self.b1))  # eqs. (1), (2)

    def forward(self, x):
        z = F.linear(self.hidden(x), self.W2, self.b2)
        if self.direct:
            z = z + F.linear(x, self.Wd)
        return F.logistic(z)


def error(net):
    """RHW eq. (3): E = ½ Σ_c Σ_j (y − d)², summed over all 64 cases."""
    return F.squared_error(net(X_T), d, reduction="sum")


def numpy_rhw(params, epochs, eps=0.1, alpha=0.9):
    """RHW's backward pass and eq. (7) update for the 6-2-1 net, in plain NumPy: `epochs` full-batch
    steps from ``params`` = (W1, b1, W2, b2); returns the new (W1, b1, W2, b2)."""
    W1, b1, W2, b2 = [p.copy() for p in params]
    dW1, db1, dW2, db2 = [np.zeros_like(p) for p in (W1, b1, W2, b2)]
    for _ in range(epochs):
        h = 1 / (1 + np.exp(-(X @ W1.T + b1)))  # eqs. (1), (2): hidden units
        y = 1 / (1 + np.exp(-(h @ W2.T + b2)))  # output unit
        dE_dx = (y - d) * y * (1 - y)  # eq. (4), then the chain rule through eq. (2)
        gW2, gb2 = dE_dx.T @ h, dE_dx.sum(0)  # eq. (5): ∂E/∂x_j · y_i, summed over the cases
        dE_dxh = (dE_dx @ W2) * h * (1 - h)  # ∂E/∂y_i = Σ_j ∂E/∂x_j w_ji, then through eq. (2)
        gW1, gb1 = dE_dxh.T @ X, dE_dxh.sum(0)
        dW1, db1 = -eps * gW1 + alpha * dW1, -eps * gb1 + alpha * db1  # eq. (7)
        dW2, db2 = -eps * gW2 + alpha * dW2, -eps * gb2 + alpha * db2
        W1, b1, W2, b2 = W1 + dW1, b1 + db1, W2 + dW2, b2 + db2
    return W1, b1, W2, b2


def engine_rhw(net, epochs, eps=0.1, alpha=0.9):
    """The same `epochs` steps on the engine: backward() of eq. (3), then ``optim.SGD`` (eq. (7))."""
    opt = optim.SGD(net.parameters(), lr=eps, momentum=alpha)
    for _ in range(epochs):
        opt.zero_grad()
        error(net).backward()
        opt.step()
    return net


class Run:
    """One training run of RHW's procedure: full-batch epochs, E of eq. (3), SGD with eq. (7).
    ``E[t]`` is the error after t weight updates; ``solved_at`` the first t at which every output is
    on the right side of 0.5 (None until then). ``train`` can be called again to go on."""

    def __init__(self, seed, hidden=2, direct=False, lr=0.1, momentum=0.9):
        self.seed = seed
        self.config = (hidden, direct)
        self.net = MirrorNet(seed, hidden, direct)
        self.opt = optim.SGD(self.net.parameters(), lr=lr, momentum=momentum)
        self.t = 0  # weight updates (epochs) done
        self.E = []  # E[t]: the error after t epochs
        self.solved_at = None

    def train(self, budget):
        """Train until every output is on the right side of 0.5, or `budget` epochs are done."""
        while self.solved_at is None:
            self.opt.zero_grad()
            y = self.net(X_T)
            E = F.squared_error(y, d, reduction="sum")
            if len(self.E) == self.t:
                self.E.append(E.item())
            if all_right(y.data):
                self.solved_at = self.t
                break
            if self.t >= budget:
                break
            E.backward()
            self.opt.step()
            self.t += 1
        return self

    def solved_within(self, n):
        return self.solved_at is not None and self.solved_at <= n

    @property
    def S30(self):
        """S₀ = 4 − E after 30 epochs (tutorial 06 §4): how far the symmetric outputs are above 0 then."""
        return 4 - self.E[30] if len(self.E) > 30 else None


def all_right(y):
    """Whether every output is on the right side of 0.5 (y > 0.5 for the 8 symmetric patterns, y < 0.5
    for the others): "solved". For outputs of S nets stacked (S, 64, 1), one answer per net."""
    return np.all((y > 0.5) == (d > 0.5), axis=(-2, -1))


def stacked_nets(W1, b1, W2, b2, Wd=None):
    """``MirrorNet``'s forward pass and ``error`` for S nets at once, their weights stacked along a new
    first axis (W1 (S, h, 6), b1 (S, h), W2 (S, 1, h), b2 (S, 1), Wd (S, 1, 6)): returns the outputs
    (S, 64, 1) and the S errors of eq. (3). Net s goes through the operations ``error`` does on one
    net, in the same order, so its numbers are the same."""
    S = W1.shape[0]

    def linear(x, W, b=None):  # F.linear with a stack of weight matrices: x Wᵀ + b
        z = x @ ops.transpose(W, (0, 2, 1))
        return z if b is None else z + ops.reshape(b, (S, 1, -1))

    z = linear(F.logistic(linear(X_T, W1, b1)), W2, b2)
    if Wd is not None:
        z = z + linear(X_T, Wd)
    y = F.logistic(z)
    diff = y - d
    return y, ops.sum(0.5 * ops.sum(diff * diff, axis=2), axis=1)


def train_all(runs, budget):
    """``r.train(budget)`` for every ``Run`` in ``runs`` (one configuration, any starting points),
    all at once: the weights of the nets still learning are stacked (``stacked_nets``) and each epoch
    runs two programs compiled by ``tg.jit`` (tutorial 12) — the outputs and errors, and the gradient
    of ΣE with respect to the stacked weights (∂ΣE/∂w of net s is net s's own ∂E/∂w) — then eq. (7)
    with the arithmetic of ``optim.SGD.step``. The Runs end as ``train`` leaves them (weights, Δw,
    ``E``, ``t``, ``solved_at``). When half the nets have stopped, the rest are restacked."""
    configs = {(r.config, r.opt.param_groups[0]["lr"], r.opt.param_groups[0]["momentum"]) for r in runs}
    if len(configs) > 1:
        raise ValueError(f"train_all: the runs must share one configuration (hidden, direct, lr, momentum), got "
                         f"{sorted(configs, key=str)}; call train_all once per configuration")
    going = [r for r in runs if r.solved_at is None]
    while going:
        going = _train_stack(going, budget)
    return runs


def _train_stack(runs, budget):
    """Train the stacked ``runs`` until at most half of them are still going; return those."""
    group = runs[0].opt.param_groups[0]
    eps, alpha = group["lr"], group["momentum"]
    params = [r.net.parameters() for r in runs]
    W = [Tensor(np.stack([ps[k].data for ps in params]), requires_grad=True) for k in range(len(params[0]))]
    delta = [np.stack([r.opt.state.get(id(ps[k]), {}).get("delta", np.zeros(ps[k].shape))
                       for r, ps in zip(runs, params)]) for k in range(len(W))]
    n = len(runs)
    # one program returns the S × 64 outputs with the S errors as a 65th column; the other ΣE and its gradient
    forward = jit(lambda: ops.concatenate([ops.reshape(a, (n, -1)) for a in stacked_nets(*W)], axis=1))
    gradient = jit(lambda: ops.sum(stacked_nets(*W)[1]), wrt=W)
    going = np.arange(n)
    while True:
        out = forward.numpy()[0]
        solved = all_right(out[:, :-1, None])
        for i in going:  # as Run.train: record E[t], stop when solved or when the budget is spent
            r = runs[i]
            if len(r.E) == r.t:
                r.E.append(float(out[i, -1]))
            if solved[i]:
                r.solved_at = r.t
        going = np.array([i for i in going if runs[i].solved_at is None and runs[i].t < budget], dtype=int)
        if 2 * len(going) <= n:
            break
        for w, g, dw in zip(W, gradient.numpy()[1:], delta):  # eq. (7) as optim.SGD.step: Δw ← αΔw + (−εg)
            step = dw[going]
            step *= alpha
            step += g[going] * -eps
            dw[going] = step
            w.data[going] += step  # w ← w + Δw
        for i in going:
            runs[i].t += 1
    for i, (r, ps) in enumerate(zip(runs, params)):  # hand the weights and Δw back to each Run
        for k, p in enumerate(ps):
            p.data = W[k].data[i].copy()
            if r.t:
                r.opt.state.setdefault(id(p), {})["delta"] = delta[k][i].copy()
    return [runs[i] for i in going]


def experiment(budget, seeds, **config):
    """``Run(seed, **config).train(budget)`` for each seed, computed by ``train_all`` (all seeds at
    once, compiled); prints the epochs and the time."""
    t0 = time.perf_counter()
    runs = train_all([Run(s, **config) for s in seeds], budget)
    seconds = time.perf_counter() - t0
    epochs = sum(r.t for r in runs)
    print(f"{config or 'RHW'}：{len(runs)} 个随机种子，共 {epochs} 轮，{seconds:.1f} s"
          f"（{seconds / epochs * 1e3:.3f} ms/轮）")
    return runs


def summary(runs, budget):
    """(solved within 1,425 epochs, solved within budget, median epochs of those, median S₀)."""
    done = [r.solved_at for r in runs if r.solved_within(budget)]
    s30 = [r.S30 for r in runs if r.S30 is not None]
    return (sum(r.solved_within(RHW_EPOCHS) for r in runs), len(done),
            float(np.median(done)) if done else None, float(np.median(s30)) if s30 else None)


def check_quoted(got, quoted):
    """Assert a table row against the numbers the text quotes: counts within ±2 and the median within
    ±10% (which seeds learn in time depends on the last bits of rounding), S₀ to the printed precision."""
    (a, b, m, s), (qa, qb, qm, qs) = got, quoted
    assert abs(a - qa) <= 2 and abs(b - qb) <= 2, (got, quoted)
    assert m is None if b == 0 else abs(m - qm) <= 0.1 * qm, (got, quoted)
    assert qs is None or f"{s:.1e}" == qs, (got, quoted)


def plot_error_curves(runs, budget, name="06_error_curves"):
    """E against epochs (log scale) for the given runs, with the levels E = 4 and E = 3.5."""
    plt = plotting.pyplot(optional=True)
    if plt is None:
        return
    L = plotting.label
    fig, ax = plt.subplots(figsize=(7.5, 4.2))
    for r in runs:
        t = np.arange(len(r.E))
        if r.solved_at is not None:
            lab = L(f"种子 {r.seed}：{r.solved_at} 轮学会", f"seed {r.seed}: solved at {r.solved_at}")
        else:
            lab = L(f"种子 {r.seed}：{budget} 轮内未学会", f"seed {r.seed}: not solved in {budget}")
        ax.semilogx(t + 1, r.E, lw=1.2, label=lab)
    ax.axhline(4.0, color="gray", ls="--", lw=0.8)
    ax.axhline(3.5, color="gray", ls=":", lw=0.8)
    ax.text(12, 4.2, L("E = 4：对称模式全部输出 0", "E = 4: every symmetric output 0"), fontsize=8, color="gray")
    ax.text(12, 3.15, L("E = 3.5：最好的常数输出 1/8", "E = 3.5: best constant output 1/8"), fontsize=8, color="gray")
    ax.axvline(RHW_EPOCHS + 1, color="C3", lw=0.8, alpha=0.6)
    ax.text(RHW_EPOCHS * 0.93, 8.5, "1,425", color="C3", fontsize=8, ha="right")
    ax.set_xlabel(L("轮数 + 1（对数坐标）", "epochs + 1 (log scale)"))
    ax.set_ylabel(L("误差 E（公式 (3)）", "error E (eq. 3)"))
    ax.set_title(L("RHW 的设置（ε = 0.1，α = 0.9）下的误差曲线", "error curves with RHW's set-up (ε = 0.1, α = 0.9)"))
    ax.set_ylim(0, 10.5)
    ax.legend(fontsize=8, loc="lower left")
    ax.grid(True, which="major", alpha=0.3)
    plotting.show(fig, name)


def plot_escape_time(S0, T, name="06_escape_time"):
    """Epochs until solved against the depth of the fall S₀ (log–log), with t = 0.3/S₀ and t = 1/S₀."""
    plt = plotting.pyplot(optional=True)
    if plt is None:
        return
    L = plotting.label
    fig, ax = plt.subplots(figsize=(6, 4.2))
    ax.loglog(S0, T, "o", ms=4, alpha=0.8, label=L("一个随机种子", "one seed"))
    s_line = np.geomspace(S0.min(), S0.max(), 50)
    for c, ls in ((0.3, ":"), (1.0, "--")):
        ax.loglog(s_line, c / s_line, "k", ls=ls, lw=0.8, label=f"t = {c}/S₀")
    ax.axhline(RHW_EPOCHS, color="C3", lw=0.8, alpha=0.6)
    ax.text(S0.min(), RHW_EPOCHS * 1.1, "1,425", color="C3", fontsize=8)
    ax.set_xlabel(L("掉进平台的深度 S₀ = 4 − E(30)", "depth of the fall S₀ = 4 − E(30)"))
    ax.set_ylabel(L("学会所需的轮数", "epochs until solved"))
    ax.set_title(L("离开平台的时间反比于 S₀", "time to leave the plateau ∝ 1/S₀"))
    ax.legend(fontsize=8)
    ax.grid(True, which="major", alpha=0.3)
    plotting.show(fig, name)


def plot_weights(W1, b1, W2, b2, epochs, name="06_weights"):
    """A learned 6-2-1 net drawn two ways: as RHW fig. 1 (weights on the arcs, biases in the nodes; red
    +, blue −, line width ∝ |w|) and as Hinton diagrams (RHW fig. 4: white +, black −, area ∝ |w|)."""
    plt = plotting.pyplot(optional=True)
    if plt is None:
        return
    from matplotlib.patches import Circle

    L = plotting.label
    fig = plt.figure(figsize=(13, 5.6))
    gs = fig.add_gridspec(2, 2, width_ratios=[1.35, 1], height_ratios=[2, 1], wspace=0.08, hspace=0.1)
    ax = fig.add_subplot(gs[:, 0])
    pos_in = [(i * 1.3, 0.0) for i in range(6)]
    pos_h = [(0.4, 3.0), (6.1, 3.0)]
    pos_out = (3.25, 5.2)

    def edge(p, q, w, scale, frac):
        ax.plot([p[0], q[0]], [p[1], q[1]], color="C3" if w > 0 else "C0",
                lw=0.4 + 3.5 * abs(w) / scale, alpha=0.7, zorder=1)
        x, y = p[0] + frac * (q[0] - p[0]), p[1] + frac * (q[1] - p[1])
        ax.text(x, y, f"{w:.1f}", fontsize=8, ha="center", va="center", zorder=3,
                color="C3" if w > 0 else "C0",
                bbox=dict(boxstyle="round,pad=0.1", fc="white", ec="none", alpha=0.9))

    for j, ph in enumerate(pos_h):
        for i, pi in enumerate(pos_in):
            edge(pi, ph, W1[j, i], np.abs(W1).max(), 0.16 if j == 0 else 0.5)
        edge(ph, pos_out, W2[0, j], np.abs(W2).max(), 0.5)
    for (x, y), text in ([(p, f"x{i + 1}") for i, p in enumerate(pos_in)]
                         + [(pos_h[j], f"{b1[j]:.1f}") for j in range(2)] + [(pos_out, f"{b2[0]:.1f}")]):
        ax.add_patch(Circle((x, y), 0.34, fc="white", ec="black", zorder=2))
        ax.text(x, y, text, ha="center", va="center", fontsize=9, zorder=4)
    ax.text(pos_out[0] + 0.5, pos_out[1], L("输出单元", "output unit"), va="center", fontsize=9)
    ax.text(pos_h[0][0], pos_h[0][1] + 0.5, L("隐藏单元 1", "hidden unit 1"), ha="center", fontsize=9)
    ax.text(pos_h[1][0], pos_h[1][1] + 0.5, L("隐藏单元 2", "hidden unit 2"), ha="center", fontsize=9)
    ax.text(3.25, -0.8, L("输入单元（中点在 x3 与 x4 之间）；节点里的数是偏置", "input units (midpoint between x3 "
                          "and x4); numbers in nodes are biases"), ha="center", fontsize=9)
    ax.set_xlim(-0.6, 7.1)
    ax.set_ylim(-1.1, 5.8)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(L(f"随机种子 1，{epochs} 轮后（仿 RHW 图 1；红 = 正，蓝 = 负）",
                   f"seed 1 after {epochs} epochs (as RHW fig. 1; red +, blue −)"))

    scale = max(np.abs(W1).max(), np.abs(W2).max())  # one scale for both panels
    ax1 = fig.add_subplot(gs[0, 1])
    _hinton(ax1, np.hstack([W1, b1[:, None]]), ["x1", "x2", "x3", "x4", "x5", "x6", L("偏置", "bias")],
            [L("隐藏 1", "hidden 1"), L("隐藏 2", "hidden 2")], scale)
    ax1.set_title(L("Hinton 图（RHW 图 4 的画法）：白 = 正，黑 = 负，面积 ∝ |w|",
                    "Hinton diagram (as RHW fig. 4): white +, black −, area ∝ |w|"), fontsize=10)
    ax2 = fig.add_subplot(gs[1, 1])
    _hinton(ax2, np.array([[W2[0, 0], W2[0, 1], b2[0]]]),
            [L("隐藏 1", "hidden 1"), L("隐藏 2", "hidden 2"), L("偏置", "bias")], [L("输出", "output")], scale)
    plotting.show(fig, name)


def _hinton(axh, M, xlabels, ylabels, scale, width=7):
    """A Hinton diagram of M on axes `axh`: square area ∝ |M| / scale, white +, black −, grey ground."""
    from matplotlib.patches import Rectangle

    axh.add_patch(Rectangle((-0.5, -0.5), M.shape[1], M.shape[0], fc="0.55", ec="none"))
    for r_ in range(M.shape[0]):
        for c_ in range(M.shape[1]):
            side = 0.92 * np.sqrt(abs(M[r_, c_]) / scale)  # area ∝ |w|
            axh.add_patch(Rectangle((c_ - side / 2, r_ - side / 2), side, side,
                                    fc="white" if M[r_, c_] > 0 else "black", ec="none"))
    axh.set_xlim(-0.5, width - 0.5)  # the same cell size in both panels
    for side in ("top", "right", "bottom", "left"):
        axh.spines[side].set_visible(False)
    axh.set_ylim(M.shape[0] - 0.5, -0.5)
    axh.set_aspect("equal")
    axh.set_xticks(range(M.shape[1]))
    axh.set_xticklabels(xlabels)
    axh.set_yticks(range(M.shape[0]))
    axh.set_yticklabels(ylabels)
