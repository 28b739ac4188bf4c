"""Exercises for tutorial 09: the infomax rule of a logistic unit (the report's (2.10), (2.11))."""
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


register(
    Exercise("09.1", 2, "logistic 单元的信息最大化规则 (2.10)、(2.11)", check_rule, (
        "先算 y = σ(αu + β)（一批，和 u 一样长）。",
        "∂y/∂u = α y(1 − y)，所以 log|∂y/∂u| = log α + log y + log(1 − y)；对 α、β 求导，记住 ∂y/∂α = u y(1 − y)。",
        "dalpha = np.mean(1 / alpha + u * (1 - 2 * y))；dbeta = np.mean(1 - 2 * y)")),
)
