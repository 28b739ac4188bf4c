"""Exercises for tutorial 07: RHW 1986's family trees (fig. 4's "no error above 0.8 / below 0.2",
and its 0.2% weight decay after each change, with eq. (7)'s momentum)."""
import numpy as np

from ...core.tensor import Tensor
from ...nn.module import Parameter
from ...nn.optim import SGD
from ..lessons.family_trees import OFF, ON, error_margin, rhw_decay
from .base import Exercise, close, fmt, need, register


def check_margin(ns):
    f = need(ns, "margin_error")
    rng = np.random.default_rng(7)
    d = (rng.random((4, 6)) < 0.3).astype(float)
    d[0, :2] = [1.0, 0.0]
    y = rng.uniform(0.02, 0.98, (4, 6))
    y[0, :2] = [0.95, 0.05]                        # an on-unit above 0.8 and an off-unit below 0.2
    want = error_margin(Tensor(y), d).item()
    got = f(y.copy(), d.copy())
    if close(got, want):
        return []
    on = d > 0.5
    lo, hi = np.minimum(y - ON, 0.0), np.maximum(y - OFF, 0.0)
    variants = {
        "plain": 0.5 * np.sum((y - d) ** 2),
        "on": 0.5 * np.sum(np.where(on, y - ON, hi) ** 2),
        "off": 0.5 * np.sum(np.where(on, lo, y - OFF) ** 2),
        "both": 0.5 * np.sum(np.where(on, y - ON, y - OFF) ** 2),
        "literal": 0.5 * np.sum(np.where((on & (y > ON)) | (~on & (y < OFF)), 0.0, y - d) ** 2),
    }
    says = {
        "plain": "这是普通的平方误差 ½Σ(y − d)²：目标应当是 0.8 和 0.2，而且过了线就不再付误差。",
        "on": "目标为 1 的单元超过 0.8 以后不该再有误差：用 min(y − 0.8, 0)。",
        "off": "目标为 0 的单元低于 0.2 以后不该再有误差：用 max(y − 0.2, 0)。",
        "both": "过了线的单元不该再有误差：目标为 1 的用 min(y − 0.8, 0)，目标为 0 的用 max(y − 0.2, 0)。",
        "literal": ("这是读法 A（没过线的单元对 1/0 付 ½(y − d)²，在 0.8 处跳变）；"
                    "这里要的是读法 B，对 0.8/0.2 连续地付。"),
    }
    for key, value in variants.items():
        if close(got, value):
            return [says[key]]
    return [f"E 应为 {fmt(want)}，你的是 {fmt(got)}。"]


def _sgd_run(w0, grads, eps, alpha, weight_decay=0.0, decay=0.0):
    p = Parameter(w0.copy())
    opt = SGD([p], lr=eps, momentum=alpha, weight_decay=weight_decay)
    for g in grads:
        p.grad = Tensor(g)
        opt.step()
        rhw_decay([p], decay)
    return p.numpy()


def check_decay(ns):
    f = need(ns, "rhw_run")
    rng = np.random.default_rng(7)
    eps, alpha = 0.01, 0.9
    w0 = rng.normal(0, 1.0, (2, 3))
    grads = [rng.normal(0, 1, (2, 3)) for _ in range(5)] + [np.zeros((2, 3))] * 5   # then no data gradient
    want = _sgd_run(w0, grads, eps, alpha, decay=0.002)
    got = np.asarray(f(w0.copy(), [g.copy() for g in grads], eps, alpha), dtype=float)
    if close(got, want):
        return []
    if close(got, _sgd_run(w0, grads, eps, alpha)):
        return ["结果和没有衰减一样：每次权重改变之后还要乘 (1 − 0.002)。"]
    if close(got, _sgd_run(w0, grads, eps, alpha, weight_decay=0.002 / eps)):
        return ["这是把 λw 加进梯度（SGD 的 weight_decay，λ = 0.002/ε）：衰减进了动量"
                "（第 4 节：α = 0.9 时零梯度的权重每轮缩小约 2.65%，是 0.2% 的 13 倍）。"
                "RHW 的衰减在每次权重改变之后直接乘上去，不进 Δw。"]
    if close(got, _sgd_run(w0, grads, eps, alpha, decay=0.2)):
        return ["0.2% 是 0.002，不是 0.2。"]
    w, delta = w0.copy(), np.zeros_like(w0)
    for g in grads:
        delta = -eps * g + alpha * delta
        w = (1 - 0.002) * w + delta
    if close(got, w):
        return ["只衰减了旧的 w：RHW 是“在每次权重变化后”衰减，w ← (1 − 0.002)(w + Δw)，新加的 Δw 也要乘。"]
    return [f"ε = {eps}、α = {alpha}、10 步之后 w 应为\n{fmt(want)}\n你的是\n{fmt(got)}"]


register(
    Exercise("07.1", 1, "RHW 图 4：过了 0.8 / 0.2 就不算错（读法 B）", check_margin, (
        "先分两种单元：on = d > 0.5。",
        "目标为 1 的单元的误差是 min(y − 0.8, 0)，目标为 0 的是 max(y − 0.2, 0)。",
        "e = np.where(on, np.minimum(y - 0.8, 0), np.maximum(y - 0.2, 0)); return 0.5 * np.sum(e * e)")),
    Exercise("07.2", 2, "RHW 的 0.2% 权重衰减，和动量一起", check_decay, (
        "先按公式 (7) 算 Δw 并加到 w 上，然后再衰减。",
        "衰减不进 Δw：Δw 只由梯度和上一次的 Δw 决定。",
        "delta = -eps * g + alpha * delta；w = (1 - 0.002) * (w + delta)")),
)
