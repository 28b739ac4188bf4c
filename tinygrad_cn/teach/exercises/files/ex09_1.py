"""练习 09.1 ★★ logistic 单元的信息最大化规则（教程 09 第 1 节；报告公式 (2.10)、(2.11)）

一个 logistic 单元 y = σ(αu + β)（教程 09 第 1 节按报告 §2 记作 y = σ(ax + b)）。
信息最大化要增大 H = E[log|∂y/∂u|]，对 α、β 求导得

    ∂H/∂α = E[1/α + u(1 − 2y)],    ∂H/∂β = E[1 − 2y]        （E[·] 用一批样本的平均）

写 infomax_rule(u, alpha, beta)：u 是一批净输入（一维 NumPy 数组），alpha、beta 是两个数；
返回 (dalpha, dbeta) 两个数。检查会和 tg.nn.AdaptiveLogistic 的 infomax_grad（引擎两次求导得到）比较。
"""
import numpy as np


def infomax_rule(u, alpha, beta):
    # >>>
    y = 1.0 / (1.0 + np.exp(-(alpha * u + beta)))
    dalpha = np.mean(1.0 / alpha + u * (1.0 - 2.0 * y))
    dbeta = np.mean(1.0 - 2.0 * y)
    return float(dalpha), float(dbeta)
    # <<<
