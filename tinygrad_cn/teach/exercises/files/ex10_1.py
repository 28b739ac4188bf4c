"""练习 10.1 ★★ 能量的梯度：驱动项 R(s)（教程 10 第 1 节；Bengio 2015，教程记作 (R6)、(R7)）

能量 E(s) = ½Σ sᵢ² − ½Σ_{i≠j} W_ij ρ(sᵢ)ρ(sⱼ) − Σ bᵢ ρ(sᵢ)，W 对称、对角为 0，ρ(s) = σ(4s − 2)。
论文的驱动项

    Rᵢ(s) = ρ′(sᵢ) (bᵢ + Σⱼ W_ij ρ(sⱼ)),     满足  R(s) − s = −∂E/∂s  （(R7)、(R4)）

写 drive(s, W, b)：s、b 是长度 N 的 NumPy 数组，W 是 N × N；返回 R(s)（NumPy 数组）。
rho 已经写好；ρ′ 要你自己写。检查会用引擎的 tg.grad 对能量求导来比较。
"""
import numpy as np


def rho(s):
    return 1.0 / (1.0 + np.exp(-(4.0 * s - 2.0)))


def drive(s, W, b):
    # >>>
    r = rho(s)
    rho_prime = 4.0 * r * (1.0 - r)
    return rho_prime * (b + W @ r)
    # <<<
