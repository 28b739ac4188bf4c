# %% [markdown]
# # 教程 04：手写反向传播——误差项 δ 一层一层往回传
#
# 教材（邱锡鹏 2020，§5.3 反向传播算法，出版版 §4.4；见 [文献](../docs/references.md)）：前馈 (5.26)、(5.27)，
# 误差项 δ⁽ˡ⁾ = ∂L/∂z⁽ˡ⁾ (5.45)，递推 (5.49)，参数的梯度 (5.56)、(5.57)，算法 5.1。
# 反向传播就是反向模式（教程 01 第 5 节）用在“标量损失 + 分层网络”上。这一课从教程 01 的标量表出发：
# 先是每层一个神经元的网络，再是一个样本的列向量公式，最后是一批样本和它的 1/N。
# 每一步都用只写 NumPy 的手算和引擎的 `backward()` 对照。先读：教程 01。下一课：教程 02。

# %%
import numpy as np

import tinygrad_cn as tg
from tinygrad_cn import nn
from tinygrad_cn.nn import functional as F
from tinygrad_cn.teach.checks import agrees
from tinygrad_cn.teach.lesson import save_drawing
from tinygrad_cn.teach.lessons.layerwise import engine_forward, sup
from tinygrad_cn.teach.trace import reverse_steps, reverse_table

np.set_printoptions(precision=4, suppress=True, linewidth=100)


def sigma(z):
    return 1.0 / (1.0 + np.exp(-z))


# %% [markdown]
# ## 1. 每层一个神经元：标量的反向表
#
# 1-1-1-1 网络：三层，每层一个 logistic 神经元，平方误差 L = ½(a⁽³⁾ − y)²。每个量都是标量，
# 所以教程 01 的反向模式表可以把引擎的反向扫描逐行列出来。手推（一个神经元的 (5.49)）：
#
#     δ⁽³⁾ = (a⁽³⁾ − y) σ′(z⁽³⁾),   δ⁽²⁾ = σ′(z⁽²⁾) · w₃ · δ⁽³⁾,   δ⁽¹⁾ = σ′(z⁽¹⁾) · w₂ · δ⁽²⁾

# %%
x_s, y_s = 0.5, 1.0
w_s, b_s = [None, 1.0, -2.0, 1.5], [None, 0.0, 0.5, -0.5]
h = tg.Tensor(x_s, name="x")
for l in range(1, 4):
    w_l = tg.Tensor(w_s[l], requires_grad=True, name=f"w{l}")
    b_l = tg.Tensor(b_s[l], requires_grad=True, name=f"b{l}")
    h = tg.sigmoid(((w_l * h).named(f"u{l}") + b_l).named(f"z{l}")).named(f"a{l}")
loss_s = (0.5 * (h - y_s) ** 2).named("L")
print(reverse_table(loss_s))

a_s = [x_s]                                            # 手算：只用 Python 的浮点数
for l in range(1, 4):
    a_s.append(sigma(w_s[l] * a_s[l - 1] + b_s[l]))
d_s = [None, None, None, (a_s[3] - y_s) * a_s[3] * (1 - a_s[3])]
for l in (2, 1):
    d_s[l] = a_s[l] * (1 - a_s[l]) * w_s[l + 1] * d_s[l + 1]   # (5.49)，1 × 1 的矩阵
table = {s.node: s.total for s in reverse_steps(loss_s)}
for l in range(1, 4):
    print(f"δ{sup(l)}：手算 {d_s[l]:+.6f}   表中 z{l} 一行 {table[f'z{l}']:+.6f}")
agrees("表中 z1、z2、z3 三行 = 手算的 δ", [table[f"z{l}"] for l in (1, 2, 3)], d_s[1:], tol=1e-15,
       source="与手算一致")

# %% [markdown]
# 对照表里的两行：a2 一行的贡献是“经过 u3：(∂L/∂u3) × w3”，而 ∂L/∂u3 = ∂L/∂z3 = δ⁽³⁾（加法的局部导数是 1）；
# z2 一行是“经过 a2：(∂L/∂a2) × σ′(z2)”。合起来 δ⁽²⁾ = σ′(z⁽²⁾) · w₃ · δ⁽³⁾，正是 (5.49) 的两个因子。
# w1、b1 两行就是 (5.56)、(5.57)：∂L/∂w⁽ˡ⁾ = δ⁽ˡ⁾ a⁽ˡ⁻¹⁾，∂L/∂b⁽ˡ⁾ = δ⁽ˡ⁾。
# 每层不止一个神经元时，“乘 w”变成“乘 (W⁽ˡ⁺¹⁾)ᵀ”（一个神经元的误差项是下一层所有与它相连的
# 神经元误差项的加权和），“乘 σ′”变成逐元素的 ⊙。
#
# ## 2. 一个样本：逐字照抄教材的列向量公式
#
# 教材的记号（§5.2.1，出版版 §4.3）：W⁽ˡ⁾ ∈ R^{n_l × n_{l−1}}，z⁽ˡ⁾ = W⁽ˡ⁾a⁽ˡ⁻¹⁾ + b⁽ˡ⁾ (5.26)，a⁽ˡ⁾ = f_l(z⁽ˡ⁾) (5.27)。
# 网络 4-5-3-2：两个 logistic 隐藏层；输出层不加激活，z⁽³⁾ 送进 softmax，损失是交叉熵 L = −yᵀ log ŷ（公式 5.34、5.35）。
# 因为 Σ_k y_k = 1，L = −yᵀz + log Σ_k e^{z_k}，所以输出层的误差项 δ⁽ᴸ⁾ = ŷ − y。再往回：
#
#     δ⁽ˡ⁾ = f′_l(z⁽ˡ⁾) ⊙ ((W⁽ˡ⁺¹⁾)ᵀ δ⁽ˡ⁺¹⁾)  (5.49)     ∂L/∂W⁽ˡ⁾ = δ⁽ˡ⁾(a⁽ˡ⁻¹⁾)ᵀ  (5.56)     ∂L/∂b⁽ˡ⁾ = δ⁽ˡ⁾  (5.57)
#
# `nn.MLP` 的 `Linear` 按教材的方向存权重：`weight` 的形状就是 (n_l, n_{l−1})。偏置改成随机数，让它也参与对照。

# %%
SIZES, L, N = [4, 5, 3, 2], 3, 6           # n_0 … n_3，层数 L，一批的样本数 N
rng = np.random.default_rng(4)             # 固定的随机种子：每次运行印出同样的数
model = nn.MLP(SIZES, activation="logistic", rng=0)
linears = [m for m in model if isinstance(m, nn.Linear)]
for lin in linears:
    lin.bias.data = rng.normal(0.0, 0.5, lin.out_features)
X = rng.standard_normal((N, SIZES[0]))
labels = rng.integers(0, SIZES[-1], N)
Y = np.eye(SIZES[-1])[labels]               # 独热的 y，一行一个样本
W = [None] + [lin.weight.data.copy() for lin in linears]   # W[l] 就是 W⁽ˡ⁾
b = [None] + [lin.bias.data.copy() for lin in linears]


def backprop_column(x, y):
    """算法 5.1 对一个样本（列向量）：返回 δ[1..L] 和 ∂L/∂W[1..L]。"""
    a = [x[:, None]]
    for l in range(1, L + 1):
        z = W[l] @ a[l - 1] + b[l][:, None]                   # (5.26)
        a.append(sigma(z) if l < L else z)                    # (5.27)；最后一层是 logits
    e = np.exp(a[L] - a[L].max())
    delta = [None] * (L + 1)
    delta[L] = e / e.sum() - y[:, None]                       # δ⁽ᴸ⁾ = ŷ − y
    for l in range(L - 1, 0, -1):
        delta[l] = a[l] * (1 - a[l]) * (W[l + 1].T @ delta[l + 1])   # (5.49)，σ′ = a(1 − a)
    return delta, [None] + [delta[l] @ a[l - 1].T for l in range(1, L + 1)]   # (5.56)：外积


delta1, dW1 = backprop_column(X[0], Y[0])
model.zero_grad()
out1, z1, _ = engine_forward(X[0], model)   # 一维输入就是一个样本
F.cross_entropy(out1, labels[0]).backward()
for l in range(L, 0, -1):
    print(f"δ{sup(l)} 手算 {delta1[l][:, 0]}   引擎 z{l}.grad {z1[l].grad.data}")
agrees("三层的 ∂L/∂W（第 1 个样本）", np.concatenate([linears[l - 1].weight.grad.data.ravel() for l in (1, 2, 3)]),
       np.concatenate([dW1[l].ravel() for l in (1, 2, 3)]), tol=1e-12, source="与手算一致")

# %% [markdown]
# `engine_forward`（`tinygrad_cn/teach/layerwise.py`）逐个模块地跑网络，对每个 z⁽ˡ⁾ 调用 `retain_grad()`：
# 反向扫描默认只把梯度写进叶子（参数），`retain_grad()` 让中间结果的 `.grad` 也留下——z⁽ˡ⁾ 的梯度就是 δ⁽ˡ⁾。
#
# ## 3. 一批样本：按行排，别忘了 1/N
#
# N 个样本按行排成矩阵 X（N × 4），一层算的是 Z = X Wᵀ + b（每一行就是一个样本的 (5.26)）。
# 每个样本的 δ 也按行排成 N × n_l 的矩阵 Δ⁽ˡ⁾；(5.49) 对每一行做，写成矩阵是 Δ⁽ˡ⁾ = σ′(Z⁽ˡ⁾) ⊙ (Δ⁽ˡ⁺¹⁾ W⁽ˡ⁺¹⁾)
# （行向量右乘 W 等于列向量左乘 Wᵀ）。目标函数是平均损失 R = (1/N) Σ_i L_i（公式 5.36，这里 λ = 0），所以
# ∂R/∂W⁽ˡ⁾ = (1/N)(Δ⁽ˡ⁾)ᵀA⁽ˡ⁻¹⁾，∂R/∂b⁽ˡ⁾ = (1/N)Σ_i δ_i⁽ˡ⁾。同样的 1/N 也在引擎那边：它对 Z⁽ˡ⁾ 求的是 ∂R/∂Z⁽ˡ⁾，
# 第 i 行等于 δ_i⁽ˡ⁾/N——所以比较时把 `z.grad` 乘以 N。

# %%
def backprop_batch(X, Y, W):
    """算法 5.1 对一批样本（第 i 行 = 第 i 个样本）：返回 Δ[1..L]、平均的 ∂R/∂W 和 ∂R/∂b。"""
    a = [X]
    for l in range(1, L + 1):
        z = a[l - 1] @ W[l].T + b[l]                          # (5.26)，一行一个样本
        a.append(sigma(z) if l < L else z)
    e = np.exp(a[L] - a[L].max(axis=1, keepdims=True))
    delta = [None] * (L + 1)
    delta[L] = e / e.sum(axis=1, keepdims=True) - Y           # 每一行 ŷ − y
    for l in range(L - 1, 0, -1):
        delta[l] = a[l] * (1 - a[l]) * (delta[l + 1] @ W[l + 1])   # (5.49)，一行一个样本
    n = len(X)
    return (delta, [None] + [delta[l].T @ a[l - 1] / n for l in range(1, L + 1)],
            [None] + [delta[l].sum(axis=0) / n for l in range(1, L + 1)])


delta, dW, db = backprop_batch(X, Y, W)
model.zero_grad()
out, z_t, _ = engine_forward(X, model)
F.cross_entropy(out, labels).backward()                       # 平均损失 R
for l in range(1, L + 1):
    err = np.abs(N * z_t[l].grad.data - delta[l]).max()
    print(f"l = {l}：max|N·z.grad − Δ| = {err:.1e}   max|W.grad − ∂R/∂W| = "
          f"{np.abs(linears[l - 1].weight.grad.data - dW[l]).max():.1e}")
agrees("Δ 的第 1 行 = 第 2 节一个样本的 δ", np.concatenate([delta[l][0] for l in (1, 2, 3)]),
       np.concatenate([delta1[l][:, 0] for l in (1, 2, 3)]), tol=1e-12, source="与第 2 节一致")

# %% [markdown]
# ## 4. 误差项一定越传越小吗？
#
# σ′ ≤ 1/4（公式 5.81），所以 (5.49) 给出的是逐元素的 |δ⁽ˡ⁾| ≤ ¼ |(W⁽ˡ⁺¹⁾)ᵀ δ⁽ˡ⁺¹⁾|：
# 相对于**乘过权重之后**的 (W⁽ˡ⁺¹⁾)ᵀδ⁽ˡ⁺¹⁾ 至少乘上 1/4，而不是相对于 δ⁽ˡ⁺¹⁾ 本身。权重大，乘 Wᵀ 就可能把它放大。

# %%
back = [None] + [delta[l + 1] @ W[l + 1] for l in range(1, L)]      # 每一行是 (W⁽ˡ⁺¹⁾)ᵀ δ⁽ˡ⁺¹⁾
for l in (2, 1):
    print(f"max|δ{sup(l + 1)}| = {np.abs(delta[l + 1]).max():.2f}   max|(W{sup(l + 1)})ᵀδ{sup(l + 1)}| = "
          f"{np.abs(back[l]).max():.2f}   max|δ{sup(l)}| = {np.abs(delta[l]).max():.2f}")
agrees("|δ⁽ˡ⁾| ≤ ¼|(W⁽ˡ⁺¹⁾)ᵀδ⁽ˡ⁺¹⁾| 逐元素成立", all(np.all(np.abs(delta[l]) <= 0.25 * np.abs(back[l]))
                                                   for l in (1, 2)), True)

# %% [predict] choices=变大|变小
# 先想一想：上面 δ⁽³⁾ 传到 δ⁽²⁾ 变小了。把 W⁽³⁾ 乘以 20，重新前向、反向，
# 从 δ⁽³⁾ 到 δ⁽²⁾（看一批里绝对值最大的分量）是变大还是变小？
W20 = [None, W[1], W[2], 20 * W[3]]
delta20, _, _ = backprop_batch(X, Y, W20)
big3, big2 = np.abs(delta20[3]).max(), np.abs(delta20[2]).max()
answer = "变大" if big2 > big3 else "变小"

# %% [markdown]
# (W⁽³⁾)ᵀ 大了 20 倍，乘上它放大的误差，σ′ ≤ 1/4 只收回了一部分：

# %%
print(f"W⁽³⁾ × 20：max|δ⁽³⁾| = {big3:.2f}，max|δ⁽²⁾| = {big2:.2f}")
agrees("界 ¼|(W⁽³⁾)ᵀδ⁽³⁾| 仍然成立", np.all(np.abs(delta20[2]) <= 0.25 * np.abs(delta20[3] @ W20[3])), True)

# %% [markdown]
# 原来的权重下 max|δ| 从 δ⁽³⁾ 的 0.72 降到 δ⁽²⁾ 的 0.19；W⁽³⁾ × 20 之后从 1.00 升到 5.62（上面两格印出的数）。
# 所以“梯度消失”不是 (5.49) 的必然结果，而是 σ′ 小**并且**权重不够大时的结果；教程 05 量它，并讲 Xavier 初始化
# 怎样选权重的尺度让它不消失也不爆炸。
#
# ## 5. 引擎里是哪些运算
#
# 表里的每一步都是引擎里某个基本运算的 vjp 规则（g 是传回来的余切向量）：
#
# | 手算的一步 | 引擎里的运算 | 它的 vjp 规则给出 |
# |---|---|---|
# | δ⁽ᴸ⁾ = ŷ − y | `logsumexp`、`sub`（log softmax）、`getitem`（取出真实类别那一项）、`neg`、`sum`、`div`（求平均） | ŷ − y（再除以 N） |
# | ∂L/∂b⁽ˡ⁾ = δ⁽ˡ⁾ | `add`（Z = XWᵀ + b） | g 原样传给两个输入；对 b 沿批量方向求和（广播的 vjp） |
# | ∂L/∂W⁽ˡ⁾ = δ⁽ˡ⁾(a⁽ˡ⁻¹⁾)ᵀ | `matmul`（X Wᵀ）对第二个输入，再经过 `transpose` | Aᵀg，转置回 W 的形状 |
# | ∂L/∂a⁽ˡ⁻¹⁾ = (W⁽ˡ⁾)ᵀδ⁽ˡ⁾ | `matmul` 对第一个输入 | g W |
# | δ⁽ˡ⁾ = σ′(z⁽ˡ⁾) ⊙ ∂L/∂a⁽ˡ⁾ | `sigmoid` | g · σ′(z)：σ′ 是规则表里的一行（`sigmoid_slope`），由输入 z 算 σ(z)σ(−z) |
#
# 最后一行和手算的 a(1 − a) 数学上相同；引擎的 σ′ 用 σ(z)σ(−z)，因为 z 大时 1 − a 会舍入成 0，而 σ(−z) 不会。
# 用 `tg.draw` 画出整张图：网络从上往下画，每层是一个 “x Wᵀ” 运算（`matmul`）、一个 `add`；
# **从最下面的 L 往上读**，就是反向扫描经过这些运算的顺序。

# %%
for l, lin in enumerate(linears, 1):
    lin.weight.named(f"W{l}")
    lin.bias.named(f"b{l}")
out_b, _, _ = engine_forward(X, model)
loss_b = F.cross_entropy(out_b, labels).named("L")
save_drawing(tg.draw(loss_b, values=False, title="4-5-3-2 网络，softmax 交叉熵"), "04_mlp_graph", fmt="png")
ops = [n.prim.name for n in tg.core.graph.toposort([loss_b]) if n.prim is not None]
print("各运算的个数：", {name: ops.count(name) for name in sorted(set(ops))})

# %% [markdown]
# ## 小结：算法 5.1 和它在代码里的样子
#
# | 算法 5.1 的一步 | 公式 | 手写（一批样本按行） | 引擎 |
# |---|---|---|---|
# | (1) 前馈，留下 z⁽ˡ⁾、a⁽ˡ⁾ | (5.26)、(5.27) | `z = a @ W.T + b`，`a = σ(z)` | 前向时记录计算图 |
# | (2) 输出层误差 | (5.45) | `ŷ − y` | 损失各运算的 vjp |
# | (2) 误差反向传播 | (5.49) | `δ = a(1 − a) * (δ_next @ W_next)` | `matmul`、`sigmoid` 的 vjp |
# | (3) 参数的导数 | (5.56)、(5.57) | `δ.T @ a_prev / N`，`δ.sum(0) / N` | `matmul`、`add` 的 vjp，写进 `.grad` |
#
# 算法 5.1 里只有起点 δ⁽ᴸ⁾ 和损失有关：换成 logistic 输出层加平方误差（RHW 1986 的 E），δ⁽ᴸ⁾ = a(1 − a) ⊙ (a − y)，
# 递推 (5.49) 和 (5.56)、(5.57) 一个字都不用改。手写的版本只适用于“全连接层 + 逐元素激活”；每换一种层都要重新推 δ 怎样穿过它。
# 引擎只要求每个基本运算有自己的 vjp 规则，组合起来的网络自动就有了反向传播。
#
# ## 练习
#
# - ★ 04.1 输出层的误差项 δ⁽ᴸ⁾
# - ★★ 04.2 算法 5.1：一个样本的反向传播
#
# 列出、开始、检查：
#
#     python -m tinygrad_cn.exercises list --lesson 04
#     python -m tinygrad_cn.exercises start 04.1 --dir 我的练习
#     python -m tinygrad_cn.exercises check 04.1 --dir 我的练习
