"""练习 04.2 ★★ 算法 5.1：一个样本，列向量（教程 04 第 4 节；NNDL 公式 5.26–5.57）

网络有 L 层，每层 z⁽ˡ⁾ = W⁽ˡ⁾ a⁽ˡ⁻¹⁾ + b⁽ˡ⁾（5.26），a⁽ˡ⁾ = σ(z⁽ˡ⁾)（5.27，每层都是 logistic），
a⁽⁰⁾ = x，损失 E = ½‖a⁽ᴸ⁾ − y‖²。写 backprop(Ws, bs, x, y)，只用 NumPy：

  1. 前馈，留下每层的 a⁽ˡ⁾；
  2. 输出层的误差项 δ⁽ᴸ⁾ = (a⁽ᴸ⁾ − y) ⊙ σ′(z⁽ᴸ⁾)；
  3. 误差项往回传（5.49）：δ⁽ˡ⁾ = σ′(z⁽ˡ⁾) ⊙ (W⁽ˡ⁺¹⁾)ᵀ δ⁽ˡ⁺¹⁾；
  4. 参数的梯度（5.56、5.57）：∂E/∂W⁽ˡ⁾ = δ⁽ˡ⁾ (a⁽ˡ⁻¹⁾)ᵀ，∂E/∂b⁽ˡ⁾ = δ⁽ˡ⁾。

Ws[0] 是 W⁽¹⁾（形状 n₁ × n₀），bs[0] 是 b⁽¹⁾。返回 (dWs, dbs)：两个列表，与 Ws、bs 一一对应、形状相同。
检查会和引擎的 backward() 逐层比较，并说出第一个不对的是哪一层的哪个梯度。
"""
import numpy as np


def backprop(Ws, bs, x, y):
    # >>>
    acts = [x]
    for W, b in zip(Ws, bs):
        acts.append(1 / (1 + np.exp(-(W @ acts[-1] + b))))
    a = acts[-1]
    delta = (a - y) * a * (1 - a)                                  # δ⁽ᴸ⁾
    dWs, dbs = [None] * len(Ws), [None] * len(Ws)
    for l in reversed(range(len(Ws))):
        dWs[l] = np.outer(delta, acts[l])                          # (5.56)
        dbs[l] = delta                                             # (5.57)
        if l > 0:
            delta = acts[l] * (1 - acts[l]) * (Ws[l].T @ delta)    # (5.49)
    return dWs, dbs
    # <<<
