"""The measurements and figures of the lesson on three ways to differentiate (tutorial 03): where a
finite difference's error curve bottoms out, its slopes either side (NNDL eqs. 5.58, 5.59), the node
counts of symbolic derivatives against the recorded graph (expression swell, NNDL fig. 5.7), and the
two figures (the error against Δx; expression swell against depth)."""
import numpy as np

from .. import plotting, symbolic

__all__ = ["count_nodes", "error_curve", "plot_difference_errors", "plot_expression_swell"]


def _smooth(err, width=9):
    """Running median of log10(err) over ``width`` neighbouring Δx (round-off makes the curve jump)."""
    logs = np.log10(np.maximum(err, 1e-300))
    padded = np.pad(logs, width // 2, mode="edge")
    return 10 ** np.array([np.median(padded[i:i + width]) for i in range(len(err))])


def _slope(dx, err):
    keep = err > 0
    return float(np.polyfit(np.log10(dx[keep]), np.log10(err[keep]), 1)[0])


def error_curve(dxs, err):
    """For errors ``err`` measured at steps ``dxs``: a dict with the best Δx and its (smoothed) error,
    and the log-log slopes far right of it (truncation side, Δx ≥ 100·best) and far left of it
    (round-off side, Δx ≤ best/100)."""
    dxs, err = np.asarray(dxs, dtype=float), np.asarray(err, dtype=float)
    if dxs.shape != err.shape or dxs.ndim != 1:
        raise ValueError(f"error_curve: dxs and err must be 1-D of one length, got {dxs.shape} and {err.shape}")
    sm = _smooth(err)
    i = int(np.argmin(sm))
    right, left = dxs >= 100 * dxs[i], dxs <= dxs[i] / 100
    return dict(best_dx=dxs[i], best_err=sm[i], k_trunc=_slope(dxs[right], err[right]),
                k_round=_slope(dxs[left], err[left]))


def count_nodes(f, wrt):
    """Node counts of a recorded scalar ``f`` and of its derivatives with respect to the leaves ``wrt``:
    a dict with ``formula`` (f written as a tree), ``first`` (the tree of ∂f/∂wrt[0]), ``all`` (the trees
    of every ∂f/∂w summed), ``distinct`` (∂f/∂wrt[0] with equal subexpressions merged), ``graph`` (f's
    recorded graph) and ``with_grads`` (the graph of f and every gradient, the reverse sweep recorded
    by ``backward(create_graph=True)``; this fills the leaves' ``.grad``)."""
    derivs = [symbolic.derivative(f, w) for w in wrt]
    counts = dict(formula=symbolic.size(f), first=symbolic.size(derivs[0]),
                  all=sum(map(symbolic.size, derivs)), distinct=symbolic.size(derivs[0], distinct=True),
                  graph=symbolic.graph_size(f))
    f.backward(create_graph=True)
    counts["with_grads"] = symbolic.graph_size(*[w.grad for w in wrt])
    return counts


def plot_difference_errors(plt, dxs, err_fwd, err_cen, x0, name):
    """The U-shaped error of both differences of sin at ``x0`` on log-log axes, with the truncation
    and round-off estimates, √ε, ∛ε and ε; saved as <OUT>/<name>.png."""
    L, eps = plotting.label, np.finfo(float).eps
    fig, ax = plt.subplots(figsize=(7, 5))
    ax.loglog(dxs, np.maximum(err_fwd, 1e-18), ".-", lw=1, ms=3, label=L("前向差分 (5.58)", "forward (5.58)"))
    ax.loglog(dxs, np.maximum(err_cen, 1e-18), ".-", lw=1, ms=3, label=L("中心差分 (5.59)", "central (5.59)"))
    ax.loglog(dxs, np.sin(x0) / 2 * dxs, "C0--", lw=0.8, label=L("截断误差 |f″|Δx/2", "truncation |f″|Δx/2"))
    ax.loglog(dxs, np.cos(x0) / 6 * dxs**2, "C1--", lw=0.8, label=L("截断误差 |f‴|Δx²/6", "truncation |f‴|Δx²/6"))
    ax.loglog(dxs, eps * np.sin(x0) / dxs, "k--", lw=0.8, label=L("舍入误差 ε|f|/Δx", "round-off ε|f|/Δx"))
    ax.axhline(eps, color="C2", lw=1.5, label=L("机器精度 ε：自动微分的误差量级", "machine ε: autodiff"))
    for at, text in ((np.sqrt(eps), r"$\sqrt{\epsilon}$"), (np.cbrt(eps), r"$\sqrt[3]{\epsilon}$")):
        ax.axvline(at, color="gray", lw=0.8, alpha=0.6)
        ax.text(at, 3e-1, text, ha="center", va="bottom", color="gray")
    ax.set_ylim(1e-17, 10)
    ax.invert_xaxis()  # Δx shrinks to the right, as in "let Δx → 0"
    ax.set_xlabel(L("步长 Δx（向右越来越小）", "step Δx (smaller to the right)"))
    ax.set_ylabel(L(f"|差分 − cos {x0:g}|", f"|difference − cos {x0:g}|"))
    ax.set_title(L(f"f(x) = sin x 在 x = {x0:g} 处的差分误差", f"finite-difference error of sin at {x0:g}"))
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.02, 1))
    ax.grid(True, which="major", alpha=0.3)
    plotting.show(fig, name)


def plot_expression_swell(plt, net, lm, name):
    """Node counts against depth k: ``net`` and ``lm`` map k to ``count_nodes`` of the k-layer net
    (drawn log-log) and of the logistic map (log y). Saved as <OUT>/<name>.png."""
    L = plotting.label
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(11, 4.2))
    ks = sorted(net)
    for col, style, text in (("all", "o-", "符号微分：全部 k 个偏导数"), ("first", "s-", "符号微分：∂f/∂w1"),
                             ("with_grads", "^-", "自动微分：f 与全部梯度的计算图"), ("graph", "v-", "计算图 f")):
        a1.loglog(ks, [net[k][col] for k in ks], style, label=text)
    a1.set_title(L("k 层网络（双对数坐标）", "k-layer net (log-log)"))
    ks = sorted(lm)
    for col, style, text in (("first", "o-", "符号微分 df/dx"), ("formula", "s-", "公式 f 本身"),
                             ("distinct", "d--", "合并相同子式后"), ("with_grads", "^-", "自动微分：f 与梯度的计算图")):
        a2.semilogy(ks, [lm[k][col] for k in ks], style, label=text)
    a2.set_title(L("logistic 映射（纵轴对数坐标）", "logistic map (log y)"))
    for ax in (a1, a2):
        ax.set_xlabel(L("层数 / 迭代步数 k", "layers / iterations k"))
        ax.set_ylabel(L("节点数", "number of nodes"))
        ax.grid(True, which="major", alpha=0.3)
        ax.legend(fontsize=8)
    fig.suptitle(L("表达式膨胀：符号导数（树）与计算图（共享中间结果）", "expression swell"))
    fig.tight_layout()
    plotting.show(fig, name)
