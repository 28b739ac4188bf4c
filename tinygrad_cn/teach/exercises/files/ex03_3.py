"""练习 03.3 ★★ 中心差分的步长取多大最好？（教程 03 第 1 节；NNDL 公式 5.59）

中心差分的误差有两部分：截断误差 ≈ |f‴(x)|·Δx²/6（Δx 越小越好），
舍入误差 ≈ ε·|f(x)|/Δx（Δx 越小越大；float64 的 ε ≈ 2.2 × 10⁻¹⁶）。两者之和在哪里最小？

写 best_dx()：对 f(x) = sin x、x = 1，返回让总误差最小的 Δx（一个数，数量级对就算对）。
你可以推公式，也可以量：在 10⁻¹⁰ … 10⁻¹ 之间试一排 Δx，看哪个误差最小（真值 cos 1 已知）。
"""
import numpy as np


def best_dx():
    # >>>
    x = 1.0
    dxs = np.logspace(-10, -1, 91)
    errors = [abs((np.sin(x + h) - np.sin(x - h)) / (2 * h) - np.cos(x)) for h in dxs]
    return float(dxs[int(np.argmin(errors))])
    # <<<
