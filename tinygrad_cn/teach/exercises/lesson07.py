"""Exercises for tutorial 07: RHW 1986's family trees (fig. 4's "no error above 0.8 / below 0.2")."""
import numpy as np

from ...core.tensor import Tensor
from ..lessons.family_trees import OFF, ON, error_margin
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


register(
    Exercise("07.1", 1, "RHW 图 4：过了 0.8 / 0.2 就不算错（读法 B）", check_margin, (
        "先分两种单元：on = d > 0.5。",
        "目标为 1 的单元的误差是 min(y − 0.8, 0)，目标为 0 的是 max(y − 0.2, 0)。",
        "e = np.where(on, np.minimum(y - 0.8, 0), np.maximum(y - 0.2, 0)); return 0.5 * np.sum(e * e)")),
)
