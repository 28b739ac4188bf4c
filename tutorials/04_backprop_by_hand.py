# %% [markdown]
# # 教程 04：手写反向传播——误差项 δ 一层一层往回传
#
# 对应教材：邱锡鹏《神经网络与深度学习》（NNDL，2020；文献见 [参考文献](../docs/references.md)）§5.3 反向传播算法（出版版 §4.4）：
# 前馈计算公式 (5.26)、(5.27)，误差项的定义 (5.45)，误差项的递推 (5.46)–(5.49)，
# 参数的梯度 (5.56)、(5.57)，以及算法 5.1（出版版算法 4.1）。
#
# 教程 02 的结尾说过：反向传播就是反向模式自动微分在"标量损失 + 分层网络"上的特例。
# 这一篇把这句话落实到每一个数上：
#
# 1. 用 `tg.nn` 搭一个 4-5-3-2 的网络（两个 logistic 隐藏层，softmax 交叉熵损失），一小批 6 个样本，
#    让引擎做一遍 `backward()`；
# 2. 在旁边只用 NumPy **手写**算法 5.1：前馈时留下每层的 z⁽ˡ⁾ 和 a⁽ˡ⁾，从输出层的误差项 δ⁽ᴸ⁾ 开始，
#    用 (5.49) 一层层往回算 δ⁽ˡ⁾，再用 (5.56)、(5.57) 得到每层参数的梯度；
# 3. 每一个 δ⁽ˡ⁾ 都和引擎对 z⁽ˡ⁾ 的梯度比较（`retain_grad()` 把中间结果的梯度留下来），
#    每一个 ∂L/∂W⁽ˡ⁾、∂L/∂b⁽ˡ⁾ 都和引擎的 `.grad` 比较，误差不超过 10⁻¹²；
# 4. 把教程 02、03 里逐个标量的反向累积表换成"以层为单位"的表，看清楚 (5.49) 的每一项是引擎里哪个运算的 vjp。
#
# 本文件可以直接 `python tutorials/04_backprop_by_hand.py` 运行，
# 也可以用 `python -m tinygrad_cn.tutorial tutorials/04_backprop_by_hand.py` 逐格（cell）执行。
# 每一个数字都有 `assert` 检查；计算图的图片需要 Graphviz 引擎（安装时已带上），没有也能跑完。

# %%

import numpy as np

import tinygrad_cn as tg
from tinygrad_cn import functional as F
from tinygrad_cn import nn
from tinygrad_cn.teach.lesson import save_drawing

np.set_printoptions(precision=5, suppress=True, linewidth=100)
rng = np.random.default_rng(4)  # fixed seed: every run prints the same numbers
TOL = 1e-12                     # hand-written backprop vs the engine: equal to rounding
_SUP = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def sup(l):
    """The layer index as the book writes it: sup(2) = '⁽²⁾'."""
    return "⁽" + str(l).translate(_SUP) + "⁾"

# %% [markdown]
# ## 1. 网络、数据和记号
#
# 教材的记号（§5.2.1，出版版 §4.3）：第 l 层有 n_l 个神经元，权重 W⁽ˡ⁾ ∈ R^{n_l × n_{l−1}}，偏置 b⁽ˡ⁾ ∈ R^{n_l}，
#
#     z⁽ˡ⁾ = W⁽ˡ⁾ a⁽ˡ⁻¹⁾ + b⁽ˡ⁾        (5.26)   净输入（净活性值）
#     a⁽ˡ⁾ = f_l(z⁽ˡ⁾)                (5.27)   活性值
#
# 从 a⁽⁰⁾ = x 开始一路算到 z⁽ᴸ⁾（公式 5.30）。这里 n₀ = 4、n₁ = 5、n₂ = 3、n₃ = 2，共 L = 3 层，
# 隐藏层的 f 是 logistic 函数 σ；输出层不加激活，z⁽³⁾ 直接作为 softmax 的输入（logits），
# 损失是交叉熵 L = −yᵀ log ŷ，ŷ = softmax(z⁽ᴸ⁾)（公式 5.34、5.35，出版版 §4.3）。
#
# `nn.MLP` 的 `Linear` 层按教材的方向存权重：`weight` 的形状就是 (n_l, n_{l−1})。
# 一小批 N = 6 个样本按行排成矩阵 X（N × 4），于是一层算的是 Z = X Wᵀ + b——每一行就是一个样本的 (5.26)。
# 偏置默认初始化为 0；为了让偏置也真正参与检验，这里把它们改成随机数。

# %%
SIZES = [4, 5, 3, 2]             # n_0, n_1, n_2, n_3
L = len(SIZES) - 1               # number of layers, L = 3
N = 6                            # batch size

model = nn.MLP(SIZES, activation="logistic", rng=0)  # logistic hidden units, output = logits z⁽ᴸ⁾
linears = [m for m in model if isinstance(m, nn.Linear)]
for lin in linears:
    lin.bias.data = rng.normal(0.0, 0.5, lin.out_features)
print(model)

X = rng.standard_normal((N, SIZES[0]))
labels = rng.integers(0, SIZES[-1], N)   # class of each sample
Y = np.eye(SIZES[-1])[labels]            # the same as one-hot rows y

# 1-based copies, so that W[l] is W⁽ˡ⁾ and b[l] is b⁽ˡ⁾ as in the book
W = [None] + [lin.weight.data.copy() for lin in linears]
b = [None] + [lin.bias.data.copy() for lin in linears]
for l in range(1, L + 1):
    print(f"W{sup(l)}: {W[l].shape}   b{sup(l)}: {b[l].shape}")
    assert W[l].shape == (SIZES[l], SIZES[l - 1]) and b[l].shape == (SIZES[l],)
print("labels:", labels)

# %% [markdown]
# ## 2. 引擎这一边：前向、`backward()`，并留下每层的梯度
#
# 逐层调用模型里的模块，把每个 `Linear` 的输出 z⁽ˡ⁾ 和每个激活函数的输出 a⁽ˡ⁾ 都记下来。
# 反向扫描默认只把梯度写进叶子（参数）的 `.grad`；对中间结果调用 `retain_grad()`，
# 它们的 `.grad` 也会留下——z⁽ˡ⁾ 的梯度正是教材定义的误差项 δ⁽ˡ⁾ = ∂L/∂z⁽ˡ⁾（公式 5.45）。

# %%
def engine_forward(x, net):
    """Run ``net`` module by module; return (output, [None, z1, ..., zL], [a0, a1, ..., a_{L-1}, ...])
    with every z and a kept (``retain_grad``) and named, so their gradients survive backward."""
    h = x if isinstance(x, tg.Tensor) else tg.Tensor(x, name="x")
    zs, acts = [None], [h]
    for m in net:
        h = m(h)
        if isinstance(m, nn.Linear):
            zs.append(h.named(f"z{len(zs)}").retain_grad())
        else:
            acts.append(h.named(f"a{len(acts)}").retain_grad())
    return h, zs, acts


model.zero_grad()
logits, z_t, a_t = engine_forward(X, model)
loss = F.cross_entropy(logits, labels)       # R = (1/N) Σ_i L_i, the mean over the batch
loss.backward()
print("损失 loss =", loss.item())
for l in range(1, L + 1):
    print(f"z{sup(l)}.grad 的形状 {z_t[l].grad.shape}   W{sup(l)}.grad 的形状 {linears[l - 1].weight.grad.shape}")

# %% [markdown]
# ## 3. 手写这一边：算法 5.1，只用 NumPy
#
# ### 3a. 前馈计算，留下每一层的 z⁽ˡ⁾ 和 a⁽ˡ⁾
#
# 算法 5.1 第 (1) 步："前馈计算每一层的状态和激活值，直到最后一层"。反向时要用到它们，所以都存下来
# （这正是教程 02 第 4 节量到的内存代价）。

# %%
def sigma(z):
    return 1.0 / (1.0 + np.exp(-z))


def softmax(z):
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def forward_by_hand(X, W, b, out_fn=None):
    """Eqs. 5.26, 5.27 for a batch (one sample per row). Returns 1-based lists z[1..L] and a[0..L];
    the hidden layers use σ, the output layer ``out_fn`` (None: a⁽ᴸ⁾ = z⁽ᴸ⁾, the logits)."""
    z, a = [None], [X]
    for l in range(1, L + 1):
        z.append(a[l - 1] @ W[l].T + b[l])                     # (5.26), rows are samples
        f = sigma if l < L else (out_fn or (lambda v: v))
        a.append(f(z[l]))                                      # (5.27)
    return z, a


z, a = forward_by_hand(X, W, b)
y_hat = softmax(z[L])
loss_hand = np.mean(-np.sum(Y * np.log(y_hat), axis=1))       # (5.35) averaged over the batch
print("手算的损失:", loss_hand, "  引擎:", loss.item())
assert abs(loss_hand - loss.item()) < TOL
for l in range(1, L + 1):
    assert np.abs(z[l] - z_t[l].data).max() < TOL              # the same forward pass
    if l < L:
        assert np.abs(a[l] - a_t[l].data).max() < TOL

# %% [markdown]
# ### 3b. 输出层的误差项 δ⁽ᴸ⁾
#
# 对一个样本，L = −yᵀ log softmax(z)。因为 Σ_k y_k = 1，
#
#     L = −yᵀ z + log Σ_k e^{z_k}，   所以   δ⁽ᴸ⁾ = ∂L/∂z⁽ᴸ⁾ = −y + softmax(z⁽ᴸ⁾) = ŷ − y。
#
# 这是 softmax 加交叉熵最常用的一条结果：输出层的误差就是"预测概率减去真实的独热向量"。
#
# ### 3c. 误差项的递推 (5.49)
#
#     δ⁽ˡ⁾ = f′_l(z⁽ˡ⁾) ⊙ ((W⁽ˡ⁺¹⁾)ᵀ δ⁽ˡ⁺¹⁾)        (5.49)
#
# 它来自 (5.47)、(5.48) 的三个因子：∂a⁽ˡ⁾/∂z⁽ˡ⁾ = diag(f′_l(z⁽ˡ⁾))（公式 5.52，对角矩阵乘向量就是逐元素相乘 ⊙），
# ∂z⁽ˡ⁺¹⁾/∂a⁽ˡ⁾ = (W⁽ˡ⁺¹⁾)ᵀ（公式 5.50），以及按定义就是 δ⁽ˡ⁺¹⁾ 的 ∂L/∂z⁽ˡ⁺¹⁾。
# logistic 函数的导数 σ′(z) = σ(z)(1 − σ(z)) = a(1 − a)（表 5.1）：直接用前馈时存下的 a⁽ˡ⁾。
#
# ### 3d. 参数的梯度 (5.56)、(5.57)
#
#     ∂L/∂W⁽ˡ⁾ = δ⁽ˡ⁾ (a⁽ˡ⁻¹⁾)ᵀ        (5.56)   （n_l × 1 乘 1 × n_{l−1}：外积）
#     ∂L/∂b⁽ˡ⁾ = δ⁽ˡ⁾                 (5.57)
#
# **一批样本怎么办？** 教材的公式是对一个样本写的（δ 是列向量）。我们把 N 个样本的 δ 按行排成 N × n_l 的矩阵 Δ⁽ˡ⁾，
# 第 i 行是第 i 个样本的误差项。(5.49) 对每一行做，写成矩阵就是 Δ⁽ˡ⁾ = σ′(Z⁽ˡ⁾) ⊙ (Δ⁽ˡ⁺¹⁾ W⁽ˡ⁺¹⁾)
# （行向量右乘 W 等于列向量左乘 Wᵀ）。目标函数是 N 个样本损失的平均 R = (1/N) Σ_i L_i（公式 5.36、5.40，这里 λ = 0），
# 所以 ∂R/∂W⁽ˡ⁾ = (1/N) Σ_i δ_i⁽ˡ⁾ (a_i⁽ˡ⁻¹⁾)ᵀ = (1/N) (Δ⁽ˡ⁾)ᵀ A⁽ˡ⁻¹⁾，∂R/∂b⁽ˡ⁾ = (1/N) Σ_i δ_i⁽ˡ⁾。
#
# 同样的 1/N 也出现在引擎那边：引擎对 Z⁽ˡ⁾ 求的是 ∂R/∂Z⁽ˡ⁾，第 i 行等于 δ_i⁽ˡ⁾ / N。
# 所以比较时把 `z.grad` 乘以 N。

# %%
def backprop_by_hand(z, a, W, delta_L):
    """Algorithm 5.1, steps (2) and (3), for a batch (row i = sample i): returns 1-based lists
    delta[1..L] (each N × n_l, the per-sample error terms) and the batch-mean gradients dW, db."""
    n = a[0].shape[0]
    delta = [None] * (L + 1)
    delta[L] = delta_L
    for l in range(L - 1, 0, -1):
        f_prime = a[l] * (1.0 - a[l])                  # σ'(z⁽ˡ⁾) = σ(1 − σ), table 5.1
        delta[l] = f_prime * (delta[l + 1] @ W[l + 1])  # (5.49), one row per sample
    dW = [None] + [delta[l].T @ a[l - 1] / n for l in range(1, L + 1)]   # (5.56), averaged
    db = [None] + [delta[l].sum(axis=0) / n for l in range(1, L + 1)]    # (5.57), averaged
    return delta, dW, db


delta, dW, db = backprop_by_hand(z, a, W, delta_L=y_hat - Y)

print(f"{'l':>2} {'δ⁽ˡ⁾ 的形状':>12} {'max|N·z.grad − δ|':>19} {'max|W.grad − ∂W|':>18} {'max|b.grad − ∂b|':>18}")
for l in range(1, L + 1):
    lin = linears[l - 1]
    err_delta = np.abs(N * z_t[l].grad.data - delta[l]).max()
    err_W = np.abs(lin.weight.grad.data - dW[l]).max()
    err_b = np.abs(lin.bias.grad.data - db[l]).max()
    print(f"{l:>2} {str(delta[l].shape):>13} {err_delta:>19.2e} {err_W:>18.2e} {err_b:>18.2e}")
    assert delta[l].shape == (N, SIZES[l])
    assert err_delta < TOL and err_W < TOL and err_b < TOL

# %% [markdown]
# 三层的 δ⁽ˡ⁾、∂L/∂W⁽ˡ⁾、∂L/∂b⁽ˡ⁾ 全部和引擎一致（差别在 10⁻¹⁶ 量级，是浮点舍入）。
# 顺带验证两条可以手算的性质，它们都直接来自公式：
#
# - 每个样本的 δ⁽ᴸ⁾ = ŷ − y 各分量之和为 0（两个概率向量之差：Σ ŷ = Σ y = 1）；
# - 一层的误差项只能比上一层的"小"：σ′ ≤ 1/4（公式 5.81），所以 |δ⁽ˡ⁾| ≤ ¼ |(W⁽ˡ⁺¹⁾)ᵀ δ⁽ˡ⁺¹⁾|，逐元素成立。
#   误差每往回传一层就至少乘上 1/4——这就是教程 05 要讲的梯度消失。

# %%
assert np.abs(delta[L].sum(axis=1)).max() < 1e-15
for l in range(1, L):
    back = delta[l + 1] @ W[l + 1]                      # rows of (W⁽ˡ⁺¹⁾)ᵀ δ⁽ˡ⁺¹⁾
    assert np.all(np.abs(delta[l]) <= 0.25 * np.abs(back) + 1e-18)
print("第 1 个样本的误差项：")
for l in range(L, 0, -1):
    print(f"  δ{sup(l)} =", delta[l][0])

# %% [markdown]
# ## 4. 一个样本，逐字照抄教材的列向量公式
#
# 上面为了一次处理一批，把公式改写成了"行"的形式。再按教材原样写一遍：一个样本 x 是**列向量**，
# z⁽ˡ⁾ = W⁽ˡ⁾ a⁽ˡ⁻¹⁾ + b⁽ˡ⁾，δ⁽ˡ⁾ = f′(z⁽ˡ⁾) ⊙ ((W⁽ˡ⁺¹⁾)ᵀ δ⁽ˡ⁺¹⁾)，∂L/∂W⁽ˡ⁾ = δ⁽ˡ⁾ (a⁽ˡ⁻¹⁾)ᵀ（外积）。
#
# 引擎那边把同一个样本作为一维向量送进网络（`Linear` 接受一维输入，一维的 logits 是一个样本），
# 这时 R 就是这一个样本的 L，不再有 1/N：z⁽ˡ⁾ 的梯度**直接**就是 δ⁽ˡ⁾。
# 为了画出"以层为单位"的反向表，激活值 a⁽ˡ⁾ 的梯度 ∂L/∂a⁽ˡ⁾ 也留下来。

# %%
i = 0
x_col = X[i][:, None]                      # a⁽⁰⁾ = x as a column, 4 × 1
y_col = Y[i][:, None]
zc, ac = [None], [x_col]
for l in range(1, L + 1):
    zc.append(W[l] @ ac[l - 1] + b[l][:, None])        # (5.26), literally
    ac.append(sigma(zc[l]) if l < L else zc[l])        # (5.27); the last layer feeds the softmax
dc = [None] * (L + 1)
dA = [None] * (L + 1)                                   # ∂L/∂a⁽ˡ⁾ = (W⁽ˡ⁺¹⁾)ᵀ δ⁽ˡ⁺¹⁾ (5.50)
dc[L] = softmax(zc[L].T).T - y_col                      # δ⁽ᴸ⁾ = ŷ − y
for l in range(L - 1, 0, -1):
    dA[l] = W[l + 1].T @ dc[l + 1]
    dc[l] = (ac[l] * (1 - ac[l])) * dA[l]               # (5.49)
dWc = [None] + [dc[l] @ ac[l - 1].T for l in range(1, L + 1)]   # (5.56): an outer product
dbc = [None] + [dc[l][:, 0] for l in range(1, L + 1)]          # (5.57)

model.zero_grad()
out1, z1_t, a1_t = engine_forward(X[i], model)        # one sample, a 1-D input
loss1 = F.cross_entropy(out1, labels[i])
loss1.backward()
for l in range(1, L + 1):
    lin = linears[l - 1]
    assert z1_t[l].shape == (SIZES[l],)
    assert np.abs(z1_t[l].grad.data - dc[l][:, 0]).max() < TOL          # δ⁽ˡ⁾ itself, no 1/N
    assert np.abs(lin.weight.grad.data - dWc[l]).max() < TOL
    assert np.abs(lin.bias.grad.data - dbc[l]).max() < TOL
    if l < L:
        assert np.abs(a1_t[l].grad.data - dA[l][:, 0]).max() < TOL
# a single sample's δ is row i of the batch's Δ: the batch formulas are the same formulas
for l in range(1, L + 1):
    assert np.abs(dc[l][:, 0] - delta[l][i]).max() < TOL
print(f"列向量公式、一维输入的引擎、第 3 节批量计算的第 {i + 1} 行（i = {i}）：三者一致。")

# %% [markdown]
# ## 5. 以层为单位的反向累积表
#
# 教程 02、03 里的反向累积表（公式 5.75–5.79）以**标量**为单位：一行一个节点 h_k，
# ∂f/∂h_k 等于它的每个"消费者"传回来的贡献之和。把节点换成**整层的向量**，同样的表就是反向传播：
# 每一行的"怎么算"只用到上一行（更靠近输出的那一层）的结果——这就是 (5.49) 说的"误差的反向传播"。
#
# 下表是第 4 节那一个样本的表，从输出往回读；"引擎"一列是 `retain_grad()` 留下的 `.grad`，
# "手算"一列是上面的 NumPy 结果。

# %%
def vec(v, width=34):
    text = np.array2string(np.ravel(v), precision=4, suppress_small=True, separator=" ")
    return text if len(text) <= width else text[:width - 1] + "…"


rows = [("δ⁽³⁾ = ∂L/∂z⁽³⁾", "ŷ − y", "(5.45)", dc[3], z1_t[3].grad.data)]
for l in range(L, 0, -1):
    lin = linears[l - 1]
    rows.append((f"∂L/∂W{sup(l)}", f"δ{sup(l)} (a{sup(l - 1)})ᵀ", "(5.56)", dWc[l], lin.weight.grad.data))
    rows.append((f"∂L/∂b{sup(l)}", f"δ{sup(l)}", "(5.57)", dbc[l], lin.bias.grad.data))
    if l > 1:
        rows.append((f"∂L/∂a{sup(l - 1)}", f"(W{sup(l)})ᵀ δ{sup(l)}", "(5.50)", dA[l - 1], a1_t[l - 1].grad.data))
        rows.append((f"δ{sup(l - 1)} = ∂L/∂z{sup(l - 1)}", f"σ′(z{sup(l - 1)}) ⊙ ∂L/∂a{sup(l - 1)}", "(5.49)",
                     dc[l - 1], z1_t[l - 1].grad.data))

width = (19, 24, 7, 36, 10)
head = ("量", "怎么算（只用上面的行）", "公式", "手算", "与引擎之差")


def cell(text, w):
    used = sum(2 if "\u4e00" <= ch <= "\u9fff" or ch in "（）" else 1 for ch in text)
    return text + " " * max(0, w - used)


print("  ".join(cell(h, w) for h, w in zip(head, width)))
for name, how, eq, hand, eng in rows:
    err = np.abs(np.asarray(hand).reshape(np.shape(eng)) - eng).max()
    print("  ".join(cell(t, w) for t, w in zip((name, how, eq, vec(hand), f"{err:.1e}"), width)))
    assert err < TOL
assert len(rows) == 1 + 2 * L + 2 * (L - 1)

# %% [markdown]
# 表里的每一行都对应引擎里某个基本运算的 vjp 规则（教程 02 的"一个运算一条规则"）：
#
# | 表中的一步 | 引擎里的运算 | 它的 vjp 规则给出 |
# |---|---|---|
# | δ⁽ᴸ⁾ = ŷ − y | `logsumexp`、`sub`（即 log softmax）、`mul`、`neg`、`sum`、`div`（求平均） | ŷ − y（除以 N） |
# | ∂L/∂b⁽ˡ⁾ = δ⁽ˡ⁾ | `add`（z = XWᵀ + b） | 原样传给两个输入；对 b 沿批量方向求和（广播的 vjp） |
# | ∂L/∂W⁽ˡ⁾ = δ⁽ˡ⁾ (a⁽ˡ⁻¹⁾)ᵀ | `matmul`（X Wᵀ）对第二个输入，再经过 `transpose` | Aᵀ G，转置回 W 的形状 |
# | ∂L/∂a⁽ˡ⁻¹⁾ = (W⁽ˡ⁾)ᵀ δ⁽ˡ⁾ | `matmul` 对第一个输入 | G W |
# | δ⁽ˡ⁾ = σ′(z⁽ˡ⁾) ⊙ ∂L/∂a⁽ˡ⁾ | `sigmoid` | g · a(1 − a)，用前向时存下的 a |
#
# 数一数这张 4-5-3-2 网络的计算图：每层一个 `matmul`、一个 `add`、一个 `transpose`，两个隐藏层各一个 `sigmoid`，
# 再加上损失的几个运算。手写的反向传播只是把这些 vjp 规则按层合并成了三条公式。

# %%
model.zero_grad()
out_b, _, _ = engine_forward(X, model)
loss_b = F.cross_entropy(out_b, labels).named("L")
order = tg.core.graph.toposort([loss_b])
ops_in_graph = [n.op for n in order if n.op is not None]
print("反向扫描依次经过的运算：", " ← ".join(reversed(ops_in_graph)))
counts = {name: ops_in_graph.count(name) for name in sorted(set(ops_in_graph))}
print("各运算的个数：", counts)
assert counts["matmul"] == L and counts["add"] == L and counts["transpose"] == L
assert counts["sigmoid"] == L - 1

# %% [markdown]
# 用 `tg.draw` 把这张图画出来（每个 `matmul` 是一个节点；绿色是参数 W⁽ˡ⁾、b⁽ˡ⁾，蓝色是 z⁽ˡ⁾、a⁽ˡ⁾ 等中间结果）。
# 从右边的 L 往左读，就是上面那张表的顺序。图片保存在 `out/04_mlp_graph.png`。

# %%
for l, lin in enumerate(linears, 1):
    lin.weight.named(f"W{l}")
    lin.bias.named(f"b{l}")
graph = tg.draw(loss_b, values=False, title="4-5-3-2 MLP, softmax cross-entropy")
assert all(f"W{l}" in graph.source and f"z{l}" in graph.source for l in range(1, L + 1))
save_drawing(graph, "04_mlp_graph", fmt="png")

# %% [markdown]
# ## 6. 从标量表到层表：每层只有一个神经元的网络
#
# 再看一眼"标量"的反向累积表，确认 δ⁽ˡ⁾ 就是它里面 z⁽ˡ⁾ 那一行。取一个 1-1-1-1 的网络
# （三层，每层一个 logistic 神经元，平方误差 L = ½(a⁽³⁾ − y)²），每个量都是标量，
# `tg.trace.reverse_table` 可以把引擎的反向扫描逐行列出来（和教程 02 的 σ(wx + b) 例子同一个工具）。
#
# 手推：δ⁽³⁾ = (a⁽³⁾ − y) σ′(z⁽³⁾)，δ⁽²⁾ = σ′(z⁽²⁾) w₃ δ⁽³⁾，δ⁽¹⁾ = σ′(z⁽¹⁾) w₂ δ⁽²⁾——
# 每一步乘一个权重和一个不超过 1/4 的导数。

# %%
x_s, y_s = 0.5, 1.0
w_s, b_s = [None, 1.0, -2.0, 1.5], [None, 0.0, 0.5, -0.5]
x_t = tg.Tensor(x_s, name="x")
w_t = [None] + [tg.Tensor(w_s[l], requires_grad=True, name=f"w{l}") for l in range(1, 4)]
b_t = [None] + [tg.Tensor(b_s[l], requires_grad=True, name=f"b{l}") for l in range(1, 4)]
h = x_t
for l in range(1, 4):
    zl = ((w_t[l] * h).named(f"u{l}") + b_t[l]).named(f"z{l}")
    h = tg.sigmoid(zl).named(f"a{l}")
loss_s = (0.5 * (h - y_s) ** 2).named("L")
print(tg.trace.reverse_table(loss_s))

# the same by hand, in plain Python floats
zs_, as_ = [None], [x_s]
for l in range(1, 4):
    zs_.append(w_s[l] * as_[l - 1] + b_s[l])
    as_.append(1 / (1 + np.exp(-zs_[l])))
d = [None] * 4
d[3] = (as_[3] - y_s) * as_[3] * (1 - as_[3])
for l in (2, 1):
    d[l] = as_[l] * (1 - as_[l]) * w_s[l + 1] * d[l + 1]          # (5.49) with 1 × 1 matrices
steps = {s.node: s for s in tg.trace.reverse_steps(loss_s)}
totals = {name: s.total for name, s in steps.items()}
for l in range(1, 4):
    print(f"δ{sup(l)}：手算 {d[l]:+.6f}   表中 z{l} 一行 {totals[f'z{l}']:+.6f}   "
          f"∂L/∂w{l} = δ{sup(l)} a{sup(l - 1)} = {d[l] * as_[l - 1]:+.6f}")
    assert abs(totals[f"z{l}"] - d[l]) < TOL
    assert abs(totals[f"w{l}"] - d[l] * as_[l - 1]) < TOL           # (5.56)
    assert abs(totals[f"b{l}"] - d[l]) < TOL                        # (5.57)
# the two factors of (5.49), as the table's rows a2 and z2 show them
(via_u3,) = steps["a2"].terms
(via_a2,) = steps["z2"].terms
assert via_u3.other == "u3" and abs(via_u3.factor - d[3]) < TOL and via_u3.local == w_s[3]
assert via_a2.other == "a2" and abs(via_a2.local - as_[2] * (1 - as_[2])) < TOL

# %% [markdown]
# 对照表里的两行：a2 一行的贡献是"via u3: (∂L/∂u3) × w3"，其中 ∂L/∂u3 = ∂L/∂z3 = δ⁽³⁾（加法的局部导数是 1）；
# z2 一行的贡献是"via a2: (∂L/∂a2) × σ′(z2)"。合起来 δ⁽²⁾ = σ′(z⁽²⁾) · w₃ · δ⁽³⁾——正是 (5.49) 的两个因子。
# 向量网络里，"乘 w"变成"乘 (W⁽ˡ⁺¹⁾)ᵀ"（一个神经元的误差项是下一层所有与它相连的神经元误差项的加权和），
# "乘 σ′"变成逐元素的 ⊙。
#
# ## 7. 换一个损失：平方误差和 logistic 输出层
#
# 算法 5.1 里唯一和损失有关的是起点 δ⁽ᴸ⁾，递推 (5.49) 和 (5.56)、(5.57) 一个字都不用改。
# 把输出层也换成 logistic，损失换成平方误差 L = ½‖y − a⁽ᴸ⁾‖²（RHW 1986 的 E，公式 (3)；文献见 ../docs/references.md），
# 则 ∂L/∂a⁽ᴸ⁾ = a⁽ᴸ⁾ − y，
#
#     δ⁽ᴸ⁾ = σ′(z⁽ᴸ⁾) ⊙ (a⁽ᴸ⁾ − y) = a⁽ᴸ⁾(1 − a⁽ᴸ⁾) ⊙ (a⁽ᴸ⁾ − y)。
#
# 同样的权重装进一个 `output_activation="logistic"` 的网络，再比一次。

# %%
model_se = nn.MLP(SIZES, activation="logistic", output_activation="logistic", rng=0)
model_se.load_state_dict(model.state_dict())
model_se.zero_grad()
out_se, z_se, _ = engine_forward(X, model_se)
loss_se = F.squared_error(out_se, Y)          # (1/N) Σ_i ½‖y_i − a_i⁽ᴸ⁾‖²
loss_se.backward()

z2_, a2_ = forward_by_hand(X, W, b, out_fn=sigma)
assert abs(np.mean(0.5 * np.sum((Y - a2_[L]) ** 2, axis=1)) - loss_se.item()) < TOL
delta_se, dW_se, db_se = backprop_by_hand(z2_, a2_, W, delta_L=a2_[L] * (1 - a2_[L]) * (a2_[L] - Y))
lin_se = [m for m in model_se if isinstance(m, nn.Linear)]
for l in range(1, L + 1):
    e = (np.abs(N * z_se[l].grad.data - delta_se[l]).max(),
         np.abs(lin_se[l - 1].weight.grad.data - dW_se[l]).max(),
         np.abs(lin_se[l - 1].bias.grad.data - db_se[l]).max())
    print(f"l = {l}:  max|差| δ {e[0]:.1e}, W {e[1]:.1e}, b {e[2]:.1e}")
    assert max(e) < TOL

# %% [markdown]
# ## 小结：算法 5.1 和它在代码里的样子
#
# | 算法 5.1 的一步 | 公式 | 手写（NumPy，一批样本按行） | 引擎 |
# |---|---|---|---|
# | (1) 前馈，留下 z⁽ˡ⁾、a⁽ˡ⁾ | (5.26)、(5.27) | `z = a @ W.T + b`，`a = σ(z)` | 前向计算时记录计算图 |
# | (2) 输出层误差 | (5.45) | `ŷ − y` 或 `a(1 − a)(a − y)` | 损失各运算的 vjp |
# | (2) 误差反向传播 | (5.49) | `δ = a(1 − a) * (δ_next @ W_next)` | `matmul`、`sigmoid` 的 vjp |
# | (3) 参数的导数 | (5.56)、(5.57) | `δ.T @ a_prev / N`，`δ.sum(0) / N` | `matmul`、`add` 的 vjp，写进 `.grad` |
#
# 手写的版本只适用于"全连接层 + 逐元素激活"这一种结构，每换一种层（卷积、归一化、注意力……）
# 都要重新推一遍 δ 怎么穿过它；引擎只要求每个基本运算有自己的 vjp 规则，组合起来的网络自动就有了反向传播。
#
# ## 练习
#
# 1. 把隐藏层换成 tanh（`activation="tanh"`），`backprop_by_hand` 里只需要改哪一行？（提示：表 5.1，tanh′ = 1 − a²。）
# 2. 加上 L2 正则项 ½λ‖W‖²_F（公式 5.36，`F.l2_penalty(model, lam)`），∂R/∂W⁽ˡ⁾ 多了哪一项？偏置的梯度变不变？
# 3. 算法 5.1 是逐个样本更新的（随机梯度下降）。把第 3 节的 N 个样本逐个送进第 4 节的列向量公式，
#    把 N 个 δ⁽ˡ⁾ (a⁽ˡ⁻¹⁾)ᵀ 加起来再除以 N，验证它等于第 3 节的 `dW[l]`。
