# %% [markdown]
# # 教程 02：前向模式与反向模式——同一个雅可比矩阵，两种走法
#
# 对应教材：邱锡鹏《神经网络与深度学习》（NNDL，2020；文献见 [参考文献](../docs/references.md)）§5.4 自动梯度计算（出版版 §4.5），
# 前向累积公式 (5.69)–(5.74) 与反向累积公式 (5.75)–(5.79)（出版版 §4.5.3）。
#
# 教材在 §5.4 末尾说：
#
# > 对于一般的函数形式 f: Rⁿ → Rᵐ，前向模式需要对每一个输入变量都进行一遍遍历，共需要 n 遍。
# > 而反向模式需要对每一个输出都进行一个遍历，共需要 m 遍。当 n > m 时，反向模式更高效。
#
# 这一篇把这句话拆开、算出来、量出来：
#
# 1. 一遍前向扫描（`tg.jvp`，切向量取独热向量 one-hot）得到雅可比矩阵的**一列**；
#    一遍反向扫描（`tg.vjp`，余切向量取独热向量）得到雅可比矩阵的**一行**。
#    两者都和手推的闭式解对照。
# 2. `tg.jacobian(f, x, mode="forward")` 要 n 遍，`mode="reverse"` 要 m 遍：用 `tg.count_sweeps()` 数出来。
# 3. n ≫ m 与 n ≪ m 两种形状下，数遍数、计时、列表。
# 4. 结论：训练时的损失函数 f: Rⁿ → R 只需要**一遍**反向扫描——这就是反向传播；
#    顺带量一下反向扫描的代价（时间是前向计算的一个小常数倍）和它必须付出的内存。
#
# 本文件可以直接 `python tutorials/02_forward_vs_reverse.py` 运行，
# 也可以用 `python -m tinygrad_cn.tutorial tutorials/02_forward_vs_reverse.py` 逐格（cell）执行。
# 每一个数字都有 `assert` 检查。

# %%
import time
import tracemalloc

import numpy as np

import tinygrad_cn as tg

np.set_printoptions(precision=4, suppress=True, linewidth=100)
rng = np.random.default_rng(0)  # fixed seed: every run prints the same numbers


def median_time(fn, repeats=5):
    """Median wall-clock seconds of fn() over a few repeats (robust to one slow run)."""
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return float(np.median(times))


# %% [markdown]
# ## 1. 一个 Rⁿ → Rᵐ 的函数和它的雅可比矩阵
#
# 取 f(x) = tanh(A x)，A 是 m×n 的固定矩阵，这里 n = 4 个输入、m = 3 个输出。
#
# 先**手推**雅可比矩阵（Jacobian）J = ∂f/∂x（m×n）。记 z = A x，y = tanh(z)，则
#
#     J_ij = ∂y_i/∂x_j = tanh′(z_i) · A_ij = (1 − y_i²) · A_ij
#
# （tanh′ = 1 − tanh²，见公式 (5.82)，出版版 §4.6），写成矩阵就是 J = diag(1 − y²) · A。
# 下面只用 NumPy 算它，不经过 tinygrad_cn，作为独立的"标准答案"。

# %%
n, m = 4, 3
A = rng.standard_normal((m, n))
x0 = rng.standard_normal(n)
A_t = tg.Tensor(A, name="A")  # a constant: no gradient with respect to A


def f(x):
    return tg.tanh(A_t @ x)


y_np = np.tanh(A @ x0)
J_closed = (1 - y_np**2)[:, None] * A  # diag(1 - y^2) @ A, by hand
print("J（手推闭式解，m×n =", J_closed.shape, "）:\n", J_closed)
assert J_closed.shape == (m, n)

# %% [markdown]
# ### 1a. 前向模式：一遍扫描 = 一列
#
# 前向模式沿计算方向传播**切向量**（tangent）：给输入一个方向 v，每个节点 h 都算出 ∂h/∂x · v，
# 最后在输出处得到 J v（Jacobian-vector product，JVP）。教材公式 (5.69)–(5.74) 就是 v 取
# "只对 w 为 1"的情形：从 ∂h₁/∂w = x 开始，一路乘到 ∂f/∂w。
#
# 取 v = e_j（第 j 个位置为 1 的独热向量），J e_j 正好是 J 的**第 j 列**：对**一个输入**的导数，对所有输出。

# %%
for j in range(n):
    e_j = np.zeros(n)
    e_j[j] = 1.0
    with tg.count_sweeps() as c:
        y, col = tg.jvp(f, (x0,), (e_j,))
    print(f"jvp，切向量 e_{j}：J[:, {j}] =", col.numpy(), " 扫描遍数:", c)
    assert np.allclose(col.numpy(), J_closed[:, j], atol=1e-12)
    assert (c.forward, c.reverse) == (1, 0)  # one forward sweep per column
assert np.allclose(y.numpy(), y_np)

# %% [markdown]
# ### 1b. 反向模式：一遍扫描 = 一行
#
# 反向模式逆着计算方向传播**余切向量**（cotangent）u：从输出处的 u 开始，每个节点 h 都得到 uᵀ ∂f/∂h，
# 最后在输入处得到 uᵀ J（vector-Jacobian product，VJP）。教材公式 (5.75)–(5.79) 就是 u = 1 的情形：
# 从 ∂f/∂h₆ = 1 开始，一路乘回 ∂f/∂w。
#
# 取 u = e_i，e_iᵀ J 正好是 J 的**第 i 行**：**一个输出**对所有输入的导数——也就是 y_i 的梯度。
# `tg.vjp` 先算一遍 f 并记下计算图，返回的 `vjp_fn` 每调用一次就做一遍反向扫描。

# %%
y, vjp_fn = tg.vjp(f, x0)
for i in range(m):
    e_i = np.zeros(m)
    e_i[i] = 1.0
    with tg.count_sweeps() as c:
        (row,) = vjp_fn(e_i)
    print(f"vjp，余切向量 e_{i}：J[{i}, :] =", row.numpy(), " 扫描遍数:", c)
    assert np.allclose(row.numpy(), J_closed[i, :], atol=1e-12)
    assert (c.forward, c.reverse) == (0, 1)  # one reverse sweep per row

# %% [markdown]
# 独热向量只是特例。任意 v、u 也只要一遍：一遍前向得到 J v，一遍反向得到 uᵀ J，
# 都**不需要**先把整个 J 造出来。

# %%
v = rng.standard_normal(n)
u = rng.standard_normal(m)
with tg.count_sweeps() as c:
    _, Jv = tg.jvp(f, (x0,), (v,))
    (uJ,) = vjp_fn(u)
print("J v  =", Jv.numpy(), "\nuᵀJ =", uJ.numpy(), "\n", c)
assert np.allclose(Jv.numpy(), J_closed @ v) and np.allclose(uJ.numpy(), u @ J_closed)
assert (c.forward, c.reverse) == (1, 1)

# %% [markdown]
# ## 2. 整个雅可比矩阵：前向 n 遍，反向 m 遍
#
# 要得到整个 J，前向模式逐列来，n 列要 n 遍；反向模式逐行来，m 行要 m 遍。
# `tg.jacobian(f, x, mode=...)` 正是这样做的；`tg.count_sweeps()` 数出扫描的遍数。
#
# （注意：两种模式都先**算一遍 f 本身**并记下计算图，这一遍不算作"扫描"；扫描指的是在图上求导的那几遍。）

# %%
with tg.count_sweeps() as c_fwd:
    J_fwd = tg.jacobian(f, x0, mode="forward")
with tg.count_sweeps() as c_rev:
    J_rev = tg.jacobian(f, x0, mode="reverse")
print("前向模式:", c_fwd, "  反向模式:", c_rev)
print("两种模式之差的最大值:", np.abs(J_fwd.numpy() - J_rev.numpy()).max())
print("与手推闭式解之差的最大值:", np.abs(J_rev.numpy() - J_closed).max())
assert J_fwd.shape == J_rev.shape == (m, n)
assert np.allclose(J_fwd.numpy(), J_rev.numpy(), atol=1e-12)
assert np.allclose(J_fwd.numpy(), J_closed, atol=1e-12)
assert (c_fwd.forward, c_fwd.reverse) == (n, 0)  # n = 4 forward sweeps
assert (c_rev.forward, c_rev.reverse) == (0, m)  # m = 3 reverse sweeps

# %% [markdown]
# ## 3. 量一量：n ≫ m 与 n ≪ m
#
# 换一个稍大一点的函数：固定权重的两层网络（隐藏层 32 个单元）
#
#     f(x) = W₂ tanh(W₁ x),   W₁: 32×n,  W₂: m×32,
#
# 手推的雅可比矩阵是 J = W₂ · diag(1 − tanh²(W₁x)) · W₁（链式法则，每层一个因子）。
#
# 取三种形状：
#
# - n = 200，m = 2：**很多输入、很少输出**——像损失函数：很多参数，一个（或几个）数；
# - n = 2，m = 200：很少输入、很多输出——比如一条曲线对两个参数的导数；
# - n = m = 20：一样多。
#
# 表中各列：n、m、前向模式遍数（fwd sweeps）、反向模式遍数（rev sweeps）、
# 前向与反向模式算整个 J 的耗时（毫秒，5 次取中位数，包括算一遍 f），以及两者之比 fwd/rev。

# %%
HIDDEN = 32


def two_layer(n, m):
    W1 = rng.standard_normal((HIDDEN, n)) / np.sqrt(n)
    W2 = rng.standard_normal((m, HIDDEN)) / np.sqrt(HIDDEN)
    W1_t, W2_t = tg.Tensor(W1), tg.Tensor(W2)

    def net(x):
        return W2_t @ tg.tanh(W1_t @ x)

    def jac_closed(x):
        a = np.tanh(W1 @ x)
        return W2 @ ((1 - a**2)[:, None] * W1)

    return net, jac_closed


rows = []
for n_, m_ in [(200, 2), (2, 200), (20, 20)]:
    net, jac_closed = two_layer(n_, m_)
    x = rng.standard_normal(n_)
    counts, times = {}, {}
    for mode in ("forward", "reverse"):
        with tg.count_sweeps() as c:
            J = tg.jacobian(net, x, mode=mode)
        assert J.shape == (m_, n_)
        assert np.allclose(J.numpy(), jac_closed(x), atol=1e-10)  # both modes match the closed form
        counts[mode] = c
        times[mode] = median_time(lambda: tg.jacobian(net, x, mode=mode))
    rows.append((n_, m_, counts, times))

print(f"{'n':>5} {'m':>5} {'fwd sweeps':>11} {'rev sweeps':>11} {'fwd ms':>9} {'rev ms':>9} {'fwd/rev':>8}")
for n_, m_, counts, times in rows:
    print(f"{n_:>5} {m_:>5} {counts['forward'].forward:>11} {counts['reverse'].reverse:>11} "
          f"{1e3 * times['forward']:>9.2f} {1e3 * times['reverse']:>9.2f} "
          f"{times['forward'] / times['reverse']:>8.3g}")

# %% [markdown]
# 遍数是精确的：前向 n 遍、反向 m 遍，与函数的数值无关，所以逐一断言。
#
# 耗时则会随机器和负载波动。n = 200、m = 2 时两者的遍数相差 100 倍，耗时之比通常也有几十倍
# （每遍的代价相近；另外两种模式都先算一遍 f，这一份固定开销把比值拉低了一些）。
# 这里只断言一个**宽松**的结论：该快的那一种至少快 2 倍——宁可少断言，也不能让测试时过时不过。

# %%
for n_, m_, counts, _ in rows:
    assert counts["forward"].forward == n_ and counts["forward"].reverse == 0
    assert counts["reverse"].reverse == m_ and counts["reverse"].forward == 0
(_, _, _, t_many_in), (_, _, _, t_many_out) = rows[0], rows[1]
assert t_many_in["forward"] >= 2 * t_many_in["reverse"], t_many_in     # n ≫ m: reverse wins
assert t_many_out["reverse"] >= 2 * t_many_out["forward"], t_many_out  # n ≪ m: forward wins
print("n ≫ m 时反向模式快", round(t_many_in["forward"] / t_many_in["reverse"], 1), "倍；",
      "n ≪ m 时前向模式快", round(t_many_out["reverse"] / t_many_out["forward"], 1), "倍。")

# %% [markdown]
# ## 4. 训练神经网络：f: Rⁿ → R，一遍反向扫描就够
#
# 教材接着说：在前馈神经网络的参数学习中，风险函数为 f: Rⁿ → R，输出为标量，
# 因此采用反向模式为最有效的计算方式，只需要一遍计算。
#
# 把一个 8–16–1 网络的全部参数拉成一个向量 θ（n = 16·8 + 16 + 16 + 1 = 161 个数），
# 损失 L(θ) = ½ · mean((ŷ − y)²) 就是一个 R¹⁶¹ → R 的函数（m = 1）。
# 梯度 ∇L 就是 1×161 的雅可比矩阵：反向模式 1 遍，前向模式 161 遍。
#
# 作为独立的对照，再用 NumPy **手写**一遍反向传播（教材算法 5.1，公式 (5.44)–(5.57)，出版版 §4.4）：
# 误差项 δ 从输出层往回传，每层乘上权重的转置和激活函数的导数。

# %%
N, D, H = 32, 8, 16
X = rng.standard_normal((N, D))
Y = rng.standard_normal(N)
X_t, Y_t = tg.Tensor(X), tg.Tensor(Y)
sizes = {"W1": (H, D), "b1": (H,), "w2": (H,), "b2": ()}
n_params = sum(int(np.prod(s)) for s in sizes.values())


def unpack(theta):
    """Split the flat parameter vector into W1, b1, w2, b2 (works for Tensors and ndarrays)."""
    out, k = [], 0
    for shape in sizes.values():
        size = int(np.prod(shape))
        out.append(theta[k:k + size].reshape(shape))
        k += size
    return out


def loss(theta):
    W1, b1, w2, b2 = unpack(theta)
    a = tg.tanh(X_t @ W1.transpose() + b1)  # N×H hidden activations
    y_hat = a @ w2 + b2                       # N predictions
    return 0.5 * ((y_hat - Y_t) ** 2).mean()


def backprop_by_hand(theta):
    W1, b1, w2, b2 = unpack(theta)
    a = np.tanh(X @ W1.T + b1)
    r = (a @ w2 + b2 - Y) / N                  # ∂L/∂ŷ
    delta = np.outer(r, w2) * (1 - a**2)       # ∂L/∂z, the hidden layer's error term δ
    return np.concatenate([(delta.T @ X).ravel(), delta.sum(0), a.T @ r, [r.sum()]])


theta0 = 0.5 * rng.standard_normal(n_params)
with tg.count_sweeps() as c_rev:
    g_rev = tg.grad(loss)(theta0)
with tg.count_sweeps() as c_fwd:
    g_fwd = tg.jacobian(loss, theta0, mode="forward")
g_hand = backprop_by_hand(theta0)
print("参数个数 n =", n_params)
print("反向模式（tg.grad）:", c_rev, "  前向模式（jacobian forward）:", c_fwd)
print("与手写反向传播之差的最大值：反向模式", np.abs(g_rev.numpy() - g_hand).max(),
      "，前向模式", np.abs(g_fwd.numpy() - g_hand).max())
assert n_params == 161 and g_rev.shape == g_fwd.shape == (n_params,)
assert (c_rev.forward, c_rev.reverse) == (0, 1)         # one reverse sweep for the whole gradient
assert (c_fwd.forward, c_fwd.reverse) == (n_params, 0)  # one forward sweep per parameter
assert np.allclose(g_rev.numpy(), g_hand, atol=1e-12)
assert np.allclose(g_fwd.numpy(), g_hand, atol=1e-12)

t_rev = median_time(lambda: tg.grad(loss)(theta0))
t_fwd = median_time(lambda: tg.jacobian(loss, theta0, mode="forward"))
print(f"耗时：反向模式 {1e3 * t_rev:.2f} ms，前向模式 {1e3 * t_fwd:.2f} ms，相差约 {t_fwd / t_rev:.0f} 倍")

# %% [markdown]
# 三者给出同一个梯度；手写的反向传播和 `tg.grad` 走的是同一条路：
# 从 ∂L/∂ŷ 出发，逆着计算方向逐层乘回去。教材的原话是：
# **"反向模式和反向传播的计算梯度的方式相同"**（§5.4，出版版 §4.5）。
# 反向传播算法就是反向模式自动微分在"标量损失 + 分层网络"上的特例。
#
# ### 一遍反向扫描有多贵？时间
#
# 反向扫描里每个基本运算执行一次它的 vjp 规则，代价与这个运算本身的前向计算同一量级
# （比如矩阵乘法 Z = H W 的 vjp 是两次矩阵乘法 G Wᵀ 和 Hᵀ G）。
# 所以不论参数有多少，一遍反向扫描的代价只是算一遍 f 的**一个小常数倍**
# （文献中称为 cheap gradient principle，常数通常在 2 到 5 之间）——不会随 n 增长。
#
# 在一个 16 层、宽 64、批大小 64 的 tanh 网络上量一量：前向计算（边算边记录计算图）与 `backward()` 各自的耗时。

# %%
B, WIDTH, DEPTH = 64, 64, 16
Ws = [tg.Tensor(rng.standard_normal((WIDTH, WIDTH)) / np.sqrt(WIDTH), requires_grad=True)
      for _ in range(DEPTH)]
X_deep = tg.Tensor(rng.standard_normal((B, WIDTH)))


def deep_net(x, weights):
    h = x
    for W in weights:
        h = tg.tanh(h @ W)
    return h


fwd_times, bwd_times = [], []
for _ in range(7):
    tg.zero_grad(Ws)
    t0 = time.perf_counter()
    L_deep = (deep_net(X_deep, Ws) ** 2).mean()
    t1 = time.perf_counter()
    L_deep.backward()
    t2 = time.perf_counter()
    fwd_times.append(t1 - t0)
    bwd_times.append(t2 - t1)
t_f, t_b = float(np.median(fwd_times)), float(np.median(bwd_times))
print(f"前向计算 {1e3 * t_f:.2f} ms，一遍反向扫描 {1e3 * t_b:.2f} ms，反向/前向 = {t_b / t_f:.2f}")
assert all(W.grad is not None and W.grad.shape == (WIDTH, WIDTH) for W in Ws)
assert t_b < 10 * t_f  # a small constant times the forward pass (loose bound: timings vary)

# %% [markdown]
# ### 一遍反向扫描有多贵？内存
#
# 反向模式的代价在内存上。vjp 规则要用到前向计算时的值：tanh 的 vjp 要 tanh(z)（乘 1 − tanh²），
# 矩阵乘法 H W 对 W 的 vjp 要 H。反向扫描从输出开始，而此时前向计算早已结束，
# 所以前向时**每一层的中间值都得存着**，直到反向扫描用完为止。需要的内存随层数（和批大小）线性增长。
#
# 用 Python 的 `tracemalloc` 量一下：同一个网络，在 `tg.no_grad()` 下只算值（用完即丢），
# 与记录计算图（留着给反向扫描用）相比，算完以后还占着多少内存。单位是一个 64×64 激活矩阵的大小。

# %%
ACT_BYTES = B * WIDTH * 8  # one float64 activation matrix


def memory_of_forward(depth, record):
    """(bytes still held after the forward pass, peak bytes during it), weights excluded."""
    was_tracing = tracemalloc.is_tracing()
    if not was_tracing:
        tracemalloc.start()
    tracemalloc.reset_peak()
    base = tracemalloc.get_traced_memory()[0]
    if record:
        out = deep_net(X_deep, Ws[:depth]).sum()
    else:
        with tg.no_grad():
            out = deep_net(X_deep, Ws[:depth]).sum()
    held, peak = tracemalloc.get_traced_memory()
    del out
    if not was_tracing:
        tracemalloc.stop()
    return held - base, peak - base


print("单位：激活矩阵个数。depth = 层数；no_grad peak = 只算值时的峰值；graph held = 记录计算图、算完后仍占用")
print(f"{'depth':>5} {'no_grad peak':>13} {'graph held':>11}")
held_by_depth = {}
for depth in (4, 8, 16):
    _, peak_plain = memory_of_forward(depth, record=False)
    held_graph, _ = memory_of_forward(depth, record=True)
    held_by_depth[depth] = held_graph
    print(f"{depth:>5} {peak_plain / ACT_BYTES:>13.1f} {held_graph / ACT_BYTES:>11.1f}")
    assert peak_plain < 4 * ACT_BYTES               # values only: a few activations at a time
    assert held_graph >= 2 * depth * ACT_BYTES * 0.99  # the graph keeps z = hW and tanh(z) of every layer
assert 3.6 < held_by_depth[16] / held_by_depth[4] < 4.4  # grows linearly with depth

# %% [markdown]
# 只算值时，任何时刻只有两三个激活矩阵（上一层的输出、本层的 z 和本层的输出）；
# 记录计算图时，每层的 z = hW 和 tanh(z) 都留着——16 层就是 32 个，层数翻倍，内存也翻倍。
# 这就是深度学习训练时显存主要花在"激活值"上的原因；用重算换内存的梯度检查点（gradient checkpointing）
# 就是为此而生的。
#
# 顺带一提：本框架的前向模式也是在记录下来的计算图上扫描（为了和反向模式共用一张图，便于对照），
# 所以它同样存了图；而"真正的"前向模式（例如对偶数 dual numbers）可以边算值边算切向量，算完即丢，
# 不需要存中间值。前向模式省内存，反向模式省遍数。
#
# ## 小结
#
# | | 前向模式（jvp） | 反向模式（vjp） |
# |---|---|---|
# | 一遍扫描得到 | J v：J 的一列（v = e_j） | uᵀ J：J 的一行（u = e_i） |
# | 整个 J 需要 | n 遍（每个输入一遍） | m 遍（每个输出一遍） |
# | 教材公式 | (5.69)–(5.74) | (5.75)–(5.79) |
# | 中间值 | 可以算完即丢 | 必须存到反向扫描用完 |
# | 适合 | n ≪ m | n ≫ m，特别是损失函数 Rⁿ → R |
#
# 训练神经网络时损失是标量（m = 1），参数可以有成千上万（n 很大）：一遍反向扫描就得到全部梯度，
# 代价只是前向计算的小常数倍——这就是反向传播。
#
# ## 练习
#
# 1. 把第 3 节的 n 改成 400、m 保持 2，前向/反向的耗时之比大约变成多少？为什么不正好是 n/m？
# 2. 用 `tg.hvp` 算 Hessian-向量积，再用 `tg.count_sweeps()` 看看它用了几遍前向、几遍反向
#    （提示：forward-over-reverse）。
# 3. 对一个 n = m 的函数（比如第 3 节 n = m = 20 的那个），如果只想要 J 的迹 tr J（对角线之和），
#    前向与反向各需要几遍？能不能用随机向量 v 和 E[vᵀ J v] = tr J 只做一遍（Hutchinson 估计）？
