"""Exercises for tutorial 09: the infomax rule of a logistic unit (the report's (2.10), (2.11)) and its
fixed point for a Gaussian input, α* = 1.7488/σ, β* = −α*μ (tutorial 09, §2)."""
import math

import numpy as np

from ...nn.adaptive import AdaptiveLogistic
from .base import Exercise, close, fmt, need, register


def check_rule(ns):
    f = need(ns, "infomax_rule")
    rng = np.random.default_rng(9)
    for alpha, beta in ((0.7, -0.2), (2.5, 0.4)):
        u = rng.normal(0.3, 1.5, 50)
        unit = AdaptiveLogistic(1)
        unit.alpha.data, unit.beta.data = np.array([alpha]), np.array([beta])
        da, db = (float(g.numpy()[0]) for g in unit.infomax_grad(u[:, None]))
        try:
            got_a, got_b = (float(v) for v in f(u.copy(), alpha, beta))
        except (TypeError, ValueError):
            return ["infomax_rule 应当返回 (dalpha, dbeta) 两个数。"]
        if close(got_a, da) and close(got_b, db):
            continue
        where = f"α = {alpha:g}、β = {beta:g}："
        if close(got_b, db) and close(got_a, da - 1.0 / alpha):
            return [where + "∂H/∂α 少了 1/α 一项（log|∂y/∂u| = log α + log y(1 − y)，log α 对 α 求导是 1/α）。"]
        if close(got_b, -db):
            return [where + "∂H/∂β 符号反了：是 1 − 2y，不是 2y − 1（规则是让熵上升）。"]
        if close(got_a, len(u) * da) or close(got_b, len(u) * db):
            return [where + "要对样本取平均（E[·]），不是求和。"]
        return [where + f"(∂H/∂α, ∂H/∂β) 应为 ({fmt(da)}, {fmt(db)})，你的是 ({fmt(got_a)}, {fmt(got_b)})。"]
    return []


S_STAR = 1.7488                                                # tutorial 09, §2: α*σ for a Gaussian input


def _normal_quantiles(n):
    """z_k = Φ⁻¹((k + ½)/n), k = 0 … n − 1, by bisection on math.erf: a Gaussian sample without noise."""
    p = (np.arange(n) + 0.5) / n
    lo, hi = np.full(n, -10.0), np.full(n, 10.0)
    cdf = np.vectorize(lambda v: 0.5 * (1.0 + math.erf(v / math.sqrt(2.0))))
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        below = cdf(mid) < p
        lo, hi = np.where(below, mid, lo), np.where(below, hi, mid)
    return 0.5 * (lo + hi)


def check_fixed_point(ns):
    f = need(ns, "infomax_fit")
    z = _normal_quantiles(2000)
    for mu, sigma in ((1.5, 0.5), (-2.0, 2.0)):
        u = mu + sigma * z
        try:
            alpha, beta = (float(v) for v in f(u.copy()))
        except (TypeError, ValueError):
            return ["infomax_fit 应当返回 (alpha, beta) 两个数。"]
        where = f"μ = {mu:g}、σ = {sigma:g}："
        if not alpha > 0:
            return [where + f"α 应当为正（从 α = 1 出发），你的是 {fmt(alpha)}。"]
        unit = AdaptiveLogistic(1)
        unit.alpha.data, unit.beta.data = np.array([alpha]), np.array([beta])
        with np.errstate(all="ignore"):                        # a saturated unit: log|∂y/∂u| = −inf
            da, db = (float(g.numpy()[0]) for g in unit.infomax_grad(u[:, None]))
        if abs(da) < 1e-6 and abs(db) < 1e-6 and close(alpha * sigma, S_STAR, 2e-3):
            continue
        if beta == 0.0 and abs(db) >= 1e-6:
            return [where + f"β 没有更新（还是 0）：在你的点上 ∂H/∂β = E[1 − 2y] = {fmt(db)} ≠ 0。"
                    "不动点要 y 的平均为 1/2，曲线的中心 −β/α 要移到 μ 上。"]
        if abs(da) >= 1e-6 or abs(db) >= 1e-6:
            return [where + f"还没收敛：引擎在你的 (α, β) = ({fmt(alpha)}, {fmt(beta)}) 处算出 ∂H/∂α = {fmt(da)}、"
                    f"∂H/∂β = {fmt(db)}，应当都 ≈ 0（< 10⁻⁶）。多走几步、或检查规则。"]
        if alpha * sigma > 10 * S_STAR or not np.isfinite(da + db):
            return [where + f"α 跑到了 {fmt(alpha)}（ασ 应为 {S_STAR}）：是梯度上升，α ← α + lr·∂H/∂α，不是减。"]
        return [where + f"ασ 应为 {S_STAR}，你的是 {fmt(alpha * sigma)}。"]
    return []


register(
    Exercise("09.1", 2, "logistic 单元的信息最大化规则 (2.10)、(2.11)", check_rule, (
        "先算 y = σ(αu + β)（一批，和 u 一样长）。",
        "∂y/∂u = α y(1 − y)，所以 log|∂y/∂u| = log α + log y + log(1 − y)；对 α、β 求导，记住 ∂y/∂α = u y(1 − y)。",
        "dalpha = np.mean(1 / alpha + u * (1 - 2 * y))；dbeta = np.mean(1 - 2 * y)")),
    Exercise("09.2", 3, "高斯输入的不动点：ασ = 1.7488", check_fixed_point, (
        "循环的每一步：先用当前的 α、β 算 y，再算两个平均导数，最后同时更新 α 和 β。",
        "是梯度上升（让熵变大）：α ← α + lr·∂H/∂α，β 也一样；β 不更新的话 y 的平均到不了 1/2。",
        "y = 1/(1 + np.exp(-(alpha*u + beta)))；dalpha = np.mean(1/alpha + u*(1 - 2*y))；"
        "dbeta = np.mean(1 - 2*y)；alpha, beta = alpha + lr*dalpha, beta + lr*dbeta")),
)
