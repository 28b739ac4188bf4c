"""练习 11.1 ★ 差分修正：把目标一层层传下去（教程 11 第 1 节；Lee 等 2015，教程记作 (T3)）

差分目标传播（DTP）里，第 i 层的目标 ĥᵢ 经过学到的逆映射 gᵢ 传给下一层：

    ĥ_{i−1} = h_{i−1} + gᵢ(ĥᵢ) − gᵢ(hᵢ)         （差分修正）

写 propagate_targets(hs, top_target, g)：hs = [h_0, h_1, …, h_L] 是各层的前向值（NumPy 数组，每行一个样本），
top_target 是顶层隐藏层的目标 ĥ_L，g(i, h) 是第 i 层的逆映射（第 i 层 → 第 i − 1 层，i = 2 … L）。
返回字典 {L: ĥ_L, L − 1: ĥ_{L−1}, …, 1: ĥ_1}。检查会和 nn/target_prop.py 的 dtp_targets 比较。
"""


def propagate_targets(hs, top_target, g):
    L = len(hs) - 1
    targets = {L: top_target}
    for i in range(L, 1, -1):
        # >>>
        targets[i - 1] = hs[i - 1] + g(i, targets[i]) - g(i, hs[i])
        # <<<
    return targets
