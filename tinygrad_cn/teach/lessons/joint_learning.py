"""The experiments and figures of tutorial 09 (联合学习猜想 2016; Bell & Sejnowski 1995): the exact
histogram entropy at the single unit's fixed point (§2), the n-k-1 network of fig. 3.1 with adaptive
logistic units (eqs. 3.1–3.4), its joint training (weights by the error gradient 3.5–3.8, α and β by
the infomax rules 3.9, 3.10; each step's gradients by a program compiled with ``jit``, or by the eager
engine: the same numbers), the summaries of a run, and the figures (fig. 2.1, fig. 4.1)."""
import math
import time

import numpy as np

from ...core import ops
from ...core.compile import jit
from ...core.tensor import Tensor
from ...core.transforms import grad
from ...nn import datasets, init
from ...nn import functional as F
from ...nn.adaptive import AdaptiveLogistic
from ...nn.module import Module, Parameter
from .. import plotting

__all__ = ["sig", "erf_cdf", "hist_entropy", "exact_bin_entropy", "N_SAMPLES", "K_HIDDEN", "EPS_SAT",
           "METHODS", "METHOD_NAMES", "METHOD_NAMES_EN", "TASKS", "TASK_NAMES", "make_task", "task_arrays",
           "JointNet", "per_net_error", "entropy", "train", "summary", "unsteady", "best_run", "plot_single_unit",
           "fig41"]

N_SAMPLES, K_HIDDEN = 200, 8  # 200 moons points per seed; k = 8 hidden units
EPS_SAT = 0.1                 # the saturating task squeezes the inputs into [1 − EPS_SAT, 1]
METHODS = ("a", "a'", "b", "c")
METHOD_NAMES = {"a": "(a) 联合学习（论文）", "a'": "(a′) 联合学习，只在隐藏层",
                "b": "(b) 反向传播，激活固定", "c": "(c) 反向传播，α、β 也学"}
METHOD_NAMES_EN = {"a": "(a) joint (paper)", "a'": "(a') joint, hidden only",
                   "b": "(b) backprop, fixed units", "c": "(c) backprop, alpha & beta too"}
TASKS = ("moons", "saturating")
TASK_NAMES = {"moons": "普通任务（moons）", "saturating": "饱和任务（输入在 [0.9, 1]）"}


def sig(t):
    """The logistic function in NumPy (for the closed forms)."""
    return 1 / (1 + np.exp(-t))


def erf_cdf(z):
    """Φ(z), the standard normal CDF, elementwise (math.erf; ±inf allowed)."""
    return 0.5 * (1 + np.vectorize(math.erf)(np.asarray(z) / math.sqrt(2)))


def hist_entropy(y, bins):
    """Discrete entropy −Σ p_i ln p_i of the histogram of y over `bins` equal bins of [0, 1]."""
    p = np.histogram(y, bins=bins, range=(0, 1))[0] / y.size
    p = p[p > 0]
    return float(-(p * np.log(p)).sum())


def exact_bin_entropy(bins, s):
    """The same entropy for y = σ(s·z), z ~ N(0, 1), exactly: P(y ∈ (y₁, y₂)) = Φ(logit y₂ / s) − Φ(logit y₁ / s)."""
    edges = np.linspace(0, 1, bins + 1)
    z = np.empty(bins + 1)
    z[0], z[-1] = -np.inf, np.inf
    z[1:-1] = np.log(edges[1:-1] / (1 - edges[1:-1])) / s
    p = np.diff(erf_cdf(z))
    return float(-(p * np.log(p)).sum())


def make_task(task, seed):
    """moons (N = 200, noise 0.1), raw coordinates; or the same points squeezed into [1 − ε, 1]."""
    X, y = datasets.moons(N_SAMPLES, noise=0.1, seed=seed)
    if task == "saturating":
        X01 = (X - X.min(0)) / (X.max(0) - X.min(0))
        X = 1 - EPS_SAT + EPS_SAT * X01
    return X, y.astype(float)


def task_arrays(task, seeds):
    """One data set per seed, stacked: inputs (N, S, n) and targets (N, S)."""
    data = [make_task(task, s) for s in seeds]
    return np.stack([x for x, _ in data], 1), np.stack([d for _, d in data], 1)


class JointNet(Module):
    """S independent n-k-1 networks of fig. 3.1 side by side, no biases, adaptive logistic units."""

    def __init__(self, seeds, n, k):
        super().__init__()
        self.S, self.n, self.k = len(seeds), n, k
        self.Wh = Parameter(np.stack([init.xavier_uniform((k, n), activation="logistic", rng=1000 + s)
                                      for s in seeds]))                              # (S, k, n)
        self.Wo = Parameter(np.stack([init.xavier_uniform((1, k), activation="logistic", rng=2000 + s)[0]
                                      for s in seeds]))                              # (S, k)
        self.hidden = AdaptiveLogistic(self.S * k)      # α_j = 1, β_j = 0 (the report's step 1)
        self.output = AdaptiveLogistic(self.S)

    def spread(self, X):
        """The inputs X (N, S, n) repeated for each of the k hidden units: (N, S, k, n). The forward pass
        computes the same numbers from it as from X, faster (NumPy's loops run over S·k numbers at a
        time instead of k), so training passes it."""
        return np.repeat(X[:, :, None, :], self.k, axis=2)

    def forward(self, X):                               # X: (N, S, n), or spread(X): (N, S, k, n)
        N = X.shape[0]
        X = X if X.ndim == 4 else X[:, :, None, :]      # what hidden unit j sees: x_1 … x_n
        u = X[:, :, :, 0] * self.Wh[:, :, 0]            # (3.1) u_j = Σ_i w_ji x_i, one input at a time: the
        for i in range(1, self.n):                      # numbers of (X·Wh).sum(axis=3) without its (N, S, k, n)
            u = u + X[:, :, :, i] * self.Wh[:, :, i]    # array of products
        self.u = u.reshape(N, self.S * self.k)
        self.a = self.hidden(self.u)                                                                  # (3.2)
        self.v = (self.a.reshape(N, self.S, self.k) * self.Wo).sum(axis=2)                           # (3.3)
        self.y = self.output(self.v)
        return self.y                                   # (N, S)


_BY_ERROR = {"a": (0, 1), "a'": (0, 1, 4, 5), "b": (0, 1, 3, 5), "c": (0, 1, 2, 3, 4, 5)}   # indices into _params


def _params(net):
    """Wh, Wo, α_j, β_j, α_o, β_o: the order of the error gradients in a training step."""
    return [net.Wh, net.Wo, net.hidden.alpha, net.hidden.beta, net.output.alpha, net.output.beta]


def per_net_error(Y, D):
    """e of eq. 3.4, ½(d − y)², the batch mean for each of the S networks: shape (S,). The square is
    written r·r (the same numbers as r**2, whose reverse rule would compute r**1 by ``power``, which is slow)."""
    r = D - Y
    return (0.5 * (r * r)).mean(axis=0)


def entropy(alpha, beta, u):
    """H = Σ_units (batch mean of ln|∂y/∂u|), y = σ(αu + β) (eq. 2.5 without the input's entropy), with
    ∂y/∂u computed by ``grad``: the function whose gradient in (α, β) is ``AdaptiveLogistic.infomax_grad``
    (eqs. 3.9, 3.10), the same numbers. Written for ``jit``, where ``u`` arrives cut from the graph by
    ``stop_gradient`` (a recorded op; ``infomax_grad`` detaches it); ∂y/∂u is taken as the derivative
    of y(u + s) in a shift s at s = 0."""
    def total(s):
        return ops.sum(F.adaptive_logistic(u + s, alpha, beta))
    dydu = grad(total)(np.zeros(u.shape))
    return ops.sum(ops.mean(ops.log(ops.abs(dydu)), axis=0))


def _eager_gradients(net, X, D, h_ip):
    """One step's numbers by the eager engine: backward for the error gradient, ``infomax_grad`` for the
    rules (of both layers, when a layer follows the infomax rule or ``log`` asks for the cosines)."""
    Xt, Dt, params = Tensor(X), Tensor(D), _params(net)

    def step(log):
        net.zero_grad()
        e = per_net_error(net(Xt), Dt)
        e.sum().backward()
        rules = [[g.data for g in layer.infomax_grad(u)] if log or h_ip else None
                 for layer, u in ((net.hidden, net.u), (net.output, net.v))]
        return (e.data, [p.grad.data for p in params], *rules)
    return step


def _compiled_gradients(net, X, D, h_ip, o_ip, by_error):
    """The same numbers by programs compiled with ``jit`` (each traced on its first call) of the error
    L = Σ_s c_s e_s with c = 1, whose gradient in c is the S errors themselves, plus the entropies H of
    the layers that follow the infomax rule, with α, β entering H as separate arguments (the same arrays)
    and u, v through ``stop_gradient``, so that one reverse sweep gives ∂e/∂(parameters) and ∂H/∂(α, β)
    unmixed. A training step's program asks only for what the step uses (the error gradients of the
    parameters in ``by_error``; jit leaves out the lines nothing asks for); a logged step's asks for all."""
    params, ones = _params(net), np.ones(net.S)

    def error(X, D, c):
        return ops.sum(c * per_net_error(net(X), D))

    def error_and_entropy(X, D, c, alpha_h, beta_h, *output):      # output: alpha_o, beta_o, or nothing
        L = error(X, D, c) + entropy(alpha_h, beta_h, ops.stop_gradient(net.u))
        return L + entropy(*output, ops.stop_gradient(net.v)) if output else L

    def program(by_error, layers):                                   # layers: how many entropies H
        wrt = [params[i] for i in by_error] + list(range(2, 3 + 2 * layers))
        return jit(error_and_entropy if layers else error, wrt=wrt), by_error, layers
    train_step = program(by_error, 2 if o_ip else 1 if h_ip else 0)
    log_step = program(range(6), 2)

    def step(log):
        f, by_error, layers = log_step if log else train_step
        out = f.numpy(X, D, ones, *(p.data for p in params[2:2 + 2 * layers]))
        n = len(by_error)
        g_err = [None] * 6
        for i, g in zip(by_error, out[1:1 + n]):
            g_err[i] = g
        return out[1 + n], g_err, out[2 + n:4 + n] if layers else None, out[4 + n:] if layers == 2 else None
    return step


def _cosines(g_err, g_h, g_o, S):
    """cos of the angle between the infomax ascent and the error descent for (α_o, β_o) per net, and
    for the hidden layer's 2k numbers (α_j, β_j) stacked per net."""
    ga, gb = g_o
    ea, eb = -g_err[4], -g_err[5]
    cos_o = (ga * ea + gb * eb) / np.sqrt((ga**2 + gb**2) * (ea**2 + eb**2))
    ga, gb = (g.reshape(S, K_HIDDEN) for g in g_h)
    ea, eb = (-g.reshape(S, K_HIDDEN) for g in g_err[2:4])
    cos_h = (ga * ea + gb * eb).sum(1) / np.sqrt((ga**2 + gb**2).sum(1) * (ea**2 + eb**2).sum(1))
    return cos_o, cos_h


def train(method, task, seeds, steps, lr_w=1.0, lr_i=0.01, anneal=False, log_every=50, compiled=True):
    """Full-batch training of len(seeds) networks side by side (method "a", "a'", "b" or "c" of §6's
    table); returns a dict of records. anneal=True lowers the infomax learning rate linearly from lr_i
    at step 0 to 0 at the last step. compiled=True takes each step's gradients from the programs of
    ``_compiled_gradients`` (``jit``), compiled=False from the eager engine: the same numbers, bit for bit
    (tests/test_teach_joint_learning.py)."""
    if method not in _BY_ERROR:
        raise KeyError(f"train: method must be one of {', '.join(METHODS)}, got {method!r}")
    by_error = _BY_ERROR[method]
    X, D = task_arrays(task, seeds)
    S = len(seeds)
    net = JointNet(seeds, X.shape[2], K_HIDDEN)
    params = _params(net)
    h_ip, o_ip = method in ("a", "a'"), method == "a"               # who follows the infomax rule
    Xs = net.spread(X)
    gradients = (_compiled_gradients(net, Xs, D, h_ip, o_ip, by_error) if compiled else
                 _eager_gradients(net, Xs, D, h_ip))
    err = np.zeros((steps + 1, S))
    log = {k: [] for k in ("t", "cos_o", "cos_h", "alpha_o", "Wo_norm")}
    t0 = time.perf_counter()
    with np.errstate(all="ignore"):          # a diverging run turns into NaN: counted by summary, not hidden
        for t in range(steps + 1):
            logging = t < steps and t % log_every == 0
            err[t], g_err, g_h, g_o = gradients(logging)
            if t == steps:
                break
            if logging:
                cos_o, cos_h = _cosines(g_err, g_h, g_o, S)
                log["cos_o"].append(cos_o)
                log["cos_h"].append(cos_h)
                log["t"].append(t)
                log["alpha_o"].append(net.output.alpha.data.copy())
                log["Wo_norm"].append(np.linalg.norm(net.Wo.data, axis=1))
            for i in by_error:                                        # gradient descent on e
                params[i].data -= lr_w * g_err[i]
            eta_i = lr_i * (1 - t / steps) if anneal else lr_i
            for layer, g, on in ((net.hidden, g_h, h_ip), (net.output, g_o, o_ip)):
                if on:                                                # gradient ascent on H
                    layer.alpha.data += eta_i * g[0]
                    layer.beta.data += eta_i * g[1]
        seconds = time.perf_counter() - t0
        Y = net(Tensor(Xs)).data
    out = {k: np.array(v) for k, v in log.items()}
    diverged = ~np.all(np.isfinite(err), axis=0)
    out.update(err=err, diverged=diverged, net=net, X=X, D=D, Y=Y, seconds=seconds,
               acc=((Y > 0.5) == D).mean(0), method=method, task=task, lr_w=lr_w, lr_i=lr_i, anneal=anneal)
    return out


def summary(r):
    """mean ± std of the final error over the runs that did not diverge, and the number that diverged."""
    ok = ~r["diverged"]
    fin = r["err"][-1, ok]
    return (fin.mean() if ok.any() else np.nan), (fin.std() if ok.any() else np.nan), int((~ok).sum())


def unsteady(r):
    """Number of runs whose error still rises by more than 1e-3 in one step during the last 10 % of steps."""
    tail = r["err"][-(r["err"].shape[0] // 10):]
    return int((np.nan_to_num(np.diff(tail, axis=0), nan=1.0).max(axis=0) > 1e-3).sum())


def best_run(runs):
    """The run with the lowest mean final error (over the runs that did not diverge)."""
    return min(runs, key=lambda r: np.nan_to_num(summary(r)[0], nan=np.inf))


def plot_single_unit(configs, j, snap, traj, a_fin, b_fin, s_star, bins, rng, name):
    """Fig. 2.1 for unit j: the input density with the curve σ(ax + b) at the snapshot steps, the output
    histogram at the start and the end (200,000 samples drawn from `rng`) with the fixed point's density,
    and a·σ and (centre − μ)/σ of every unit over the iterations. Without matplotlib: nothing (no draw)."""
    plt = plotting.pyplot(optional=True)
    if plt is None:
        return
    L = plotting.label
    MU = np.array([c[0] for c in configs])
    SD = np.array([c[1] for c in configs])
    steps = max(snap)
    fig, axes = plt.subplots(2, 2, figsize=(11, 7.5))
    ax = axes[0, 0]
    xg = np.linspace(MU[j] - 4 * SD[j], MU[j] + 4 * SD[j], 400)
    ax.fill_between(xg, np.exp(-(xg - MU[j])**2 / (2 * SD[j]**2)) / (SD[j] * math.sqrt(2 * math.pi)),
                    color="0.85", label=L("输入密度 f_x", "input density f_x"))
    ax.set_xlabel("x")
    ax.set_ylabel(L("密度", "density"))
    ax2 = ax.twinx()
    for t, c in zip(snap, plt.cm.viridis(np.linspace(0, 0.9, len(snap)))):
        a_t, b_t = snap[t]
        ax2.plot(xg, sig(a_t[j] * xg + b_t[j]), color=c, label=L(f"第 {t} 步", f"step {t}"))
    ax2.set_ylabel("y = σ(ax + b)")
    ax2.set_ylim(0, 1)
    ax2.legend(loc="lower right", fontsize=8)
    ax.set_title(L(f"曲线移到输入密度上（μ = {MU[j]:g}, σ = {SD[j]:g}）", "the curve moves onto the density"))

    ax = axes[0, 1]
    x = MU[j] + SD[j] * rng.standard_normal(200000)
    ax.hist(sig(x), bins=bins, range=(0, 1), density=True, alpha=0.5, label=L("第 0 步", "step 0"))
    ax.hist(sig(a_fin[j] * x + b_fin[j]), bins=bins, range=(0, 1), density=True, alpha=0.6,
            label=L(f"第 {steps} 步", f"step {steps}"))
    yg = np.linspace(0.002, 0.998, 400)
    zz = np.log(yg / (1 - yg)) / s_star
    ax.plot(yg, np.exp(-zz**2 / 2) / math.sqrt(2 * math.pi) / (s_star * yg * (1 - yg)), "k--",
            label=L("不动点的理论密度", "fixed-point density"))
    ax.set_ylim(0, 4)
    ax.set_xlabel("y")
    ax.set_ylabel(L("密度", "density"))
    ax.legend(fontsize=8)
    ax.set_title(L("输出直方图变平（20 格；纵轴截在 4）", "the output histogram flattens (20 bins; clipped at 4)"))

    ts = np.array([r[0] for r in traj])
    for k_, (m_, s_) in enumerate(configs):
        axes[1, 0].plot(ts, [r[1][k_] for r in traj], label=f"μ={m_:g}, σ={s_:g}")
        axes[1, 1].plot(ts, [r[2][k_] for r in traj], label=f"μ={m_:g}, σ={s_:g}")
    axes[1, 0].axhline(s_star, color="k", ls="--", lw=1)
    axes[1, 0].set_ylabel(L("a·σ（虚线 s* = 1.7488）", "a·σ (dashed: s* = 1.7488)"))
    axes[1, 1].axhline(0, color="k", ls="--", lw=1)
    axes[1, 1].set_ylabel(L("(中心 −b/a − μ)/σ", "(centre −b/a − μ)/σ"))
    axes[1, 1].set_ylim(-3, 3)
    for ax in axes[1]:
        ax.set_xlabel(L("迭代次数", "iteration"))
        ax.legend(fontsize=8)
    fig.tight_layout()
    plotting.show(fig, name)


def fig41(runs_by_label, name):
    """Fig. 4.1 redrawn, one panel per task: the error curve of each run, geometric mean ×/÷ geometric std
    over seeds (mean ± std of log e: the errors span four decades, so the band is drawn on the log scale).
    `runs_by_label[task]` lists ((Chinese label, English label, line style), run). Without matplotlib: nothing."""
    plt = plotting.pyplot(optional=True)
    if plt is None:
        return
    L = plotting.label
    fig, axes = plt.subplots(1, len(TASKS), figsize=(13, 4.8))
    for ax, task in zip(axes, TASKS):
        for (zh, en, style), r in runs_by_label[task]:
            log_e = np.log10(r["err"][:, ~r["diverged"]])
            mean_, std_ = log_e.mean(1), log_e.std(1)
            t = np.arange(log_e.shape[0])
            line, = ax.plot(t, 10**mean_, style, lw=1.2, label=L(f"{zh}, η_W={r['lr_w']:g}", f"{en}, lr={r['lr_w']:g}"))
            ax.fill_between(t, 10**(mean_ - std_), 10**(mean_ + std_), color=line.get_color(), alpha=0.2, lw=0)
        ax.axhline(1 / 24, color="k", lw=0.8, ls=":")
        ax.set_yscale("log")
        ax.set_ylim(*((1e-5, 0.3) if task == "moons" else (0.02, 0.3)))
        ax.set_xlabel(L("迭代次数", "iteration"))
        ax.set_ylabel(L("误差 e（批平均；对数均值 ± 标准差）", "error e (batch mean; log-mean ± std)"))
        ax.set_title(L(TASK_NAMES[task], task))
        ax.legend(fontsize=8, loc="lower left")
    fig.tight_layout()
    plotting.show(fig, name)
