# %% [markdown]
# # 教程 02：前向模式与反向模式——同一个雅可比矩阵，两种走法
#
# 教材（邱锡鹏 2020，§5.4 末尾，出版版 §4.5.3；见 [文献](../docs/references.md)）说：
#
# > 对于一般的函数形式 f: Rⁿ → Rᵐ，前向模式需要对每一个输入变量都进行一遍遍历，共需要 n 遍。
# > 而反向模式需要对每一个输出都进行一个遍历，共需要 m 遍。当 n > m 时，反向模式更高效。
#
# 教材说的“一遍遍历”，本项目叫一遍**扫描**（见[术语表](../docs/glossary.md)）。这一课把这句话算出来、数出来、
# 量出来：一遍前向扫描得到雅可比矩阵的一列，一遍反向扫描得到一行；训练时的损失 Rⁿ → R 只要一遍反向扫描，
# 代价是它必须存下的中间值。先读：教程 01、04。下一课：教程 14（动态图与拓扑序）。

# %%
import numpy as np

import tinygrad_cn as tg
from tinygrad_cn.teach.checks import agrees
from tinygrad_cn.teach.lessons.measure import median_time, memory_held
from tinygrad_cn.teach.text import table_row

np.set_printoptions(precision=4, suppress=True, linewidth=100)
rng = np.random.default_rng(0)  # 固定的随机种子：每次运行印出同样的数

# %% [markdown]
# ## 1. 一个 Rⁿ → Rᵐ 的函数和它的雅可比矩阵
#
# f(x) = tanh(A x)，A 是 m×n 的固定矩阵，n = 4 个输入、m = 3 个输出。手推雅可比矩阵 J = ∂f/∂x（m×n）：
# 记 y = tanh(Ax)，则 J_ij = (1 − y_i²) · A_ij（tanh′ = 1 − tanh²，公式 5.82），即 J = diag(1 − y²) · A。
# 下面只用 NumPy 算它，作为独立的标准答案。

# %%
n, m = 4, 3
A = rng.standard_normal((m, n))
x0 = rng.standard_normal(n)
A_t = tg.Tensor(A, name="A")  # 常量：不对 A 求导


def f(x):
    return tg.tanh(A_t @ x)


J_closed = (1 - np.tanh(A @ x0) ** 2)[:, None] * A   # diag(1 − y²) · A，手推
print("J（手推闭式解）:\n", J_closed)

# %% [markdown]
# ### 前向模式：一遍扫描 = 一列；反向模式：一遍扫描 = 一行
#
# 前向模式沿计算方向推进**切向量** v：每个节点 h 算出 ∂h/∂x · v，输出处得到 J v（JVP）。
# 教材公式 (5.69)–(5.74) 就是 v“只对 w 为 1”的情形。取 v = e_j（独热向量），J e_j 是 J 的**第 j 列**。
#
# 反向模式逆着计算方向传回**余切向量** u：输入处得到 uᵀ J（VJP）。教材公式 (5.75)–(5.79) 就是 u = 1 的情形。
# 取 u = e_i，e_iᵀ J 是 J 的**第 i 行**——一个输出 y_i 的梯度。`tg.vjp` 先算一遍 f、记下计算图，
# 返回的 `vjp_fn` 每调用一次做一遍反向扫描。`tg.count_sweeps()` 数出扫描的遍数。

# %%
eye_n, eye_m = np.eye(n), np.eye(m)
with tg.count_sweeps() as c_cols:
    cols = [tg.jvp(f, (x0,), (eye_n[j],))[1].numpy() for j in range(n)]
y, vjp_fn = tg.vjp(f, x0)
with tg.count_sweeps() as c_rows:
    rows = [vjp_fn(eye_m[i])[0].numpy() for i in range(m)]
print("前向模式，逐列：", c_cols, "\n", np.column_stack(cols))
print("反向模式，逐行：", c_rows, "\n", np.vstack(rows))
agrees("列拼成的 J 与行拼成的 J", np.column_stack(cols), np.vstack(rows), tol=1e-12, source="两种模式一致")

# %% [markdown]
# 独热向量只是特例：任意 v、u 也只要一遍，一遍前向得到 J v，一遍反向得到 uᵀ J，都**不需要**先造出整个 J。
#
# ## 2. 整个雅可比矩阵：前向 n 遍，反向 m 遍
#
# `tg.jacobian(f, x, mode=...)` 正是逐列或逐行地做。两种模式都先**算一遍 f 本身**并记下计算图，
# 这一遍不算作扫描；扫描指在图上求导的那几遍。

# %%
with tg.count_sweeps() as c_fwd:
    J_fwd = tg.jacobian(f, x0, mode="forward")
with tg.count_sweeps() as c_rev:
    J_rev = tg.jacobian(f, x0, mode="reverse")
print("前向模式:", c_fwd, "  反向模式:", c_rev)
agrees("反向模式的 J 与手推闭式解", J_rev.numpy(), J_closed, tol=1e-12, source="与闭式解一致")

# %% [markdown]
# ## 3. 形状决定谁快：n ≫ m 与 n ≪ m
#
# 换一个固定权重的两层网络 f(x) = W₂ tanh(W₁ x)（隐藏层 32 个单元），取三种形状：
# n = 200、m = 2（很多输入、很少输出，像损失函数）；n = 2、m = 200（比如一条曲线对两个参数的导数）；n = m = 20。

# %%
def two_layer(n, m, hidden=32):
    W1 = tg.Tensor(rng.standard_normal((hidden, n)) / np.sqrt(n))
    W2 = tg.Tensor(rng.standard_normal((m, hidden)) / np.sqrt(hidden))
    return lambda x: W2 @ tg.tanh(W1 @ x)


nets = {shape: (two_layer(*shape), rng.standard_normal(shape[0])) for shape in [(200, 2), (2, 200), (20, 20)]}

# %% [predict] choices=1遍|2遍|200遍|400遍
# 先想一想：n = 2 个输入、m = 200 个输出时，用反向模式算出整个 J 要几遍反向扫描？
with tg.count_sweeps() as c:
    tg.jacobian(nets[(2, 200)][0], nets[(2, 200)][1], mode="reverse")
answer = f"{c.reverse}遍"

# %% [markdown]
# 反向模式一遍只得到一行，m = 200 行就要 200 遍；前向模式只要 n = 2 遍。下表每种形状都数遍数，
# 再计时（毫秒，5 次取中位数，包括先算一遍 f）。遍数是精确的；耗时随机器和负载波动，所以只印出来，不做断言。

# %%
COLS = (5, 5, 9, 9, 9, 9, 10)
print(table_row(("n", "m", "前向遍数", "反向遍数", "前向 ms", "反向 ms", "前向/反向"), COLS))
sweeps = {}
for (n_, m_), (net, x) in nets.items():
    with tg.count_sweeps() as c_f:
        tg.jacobian(net, x, mode="forward")
    with tg.count_sweeps() as c_r:
        tg.jacobian(net, x, mode="reverse")
    sweeps[(n_, m_)] = (c_f.forward, c_r.reverse)
    t_f = median_time(tg.jacobian, net, x, mode="forward")
    t_r = median_time(tg.jacobian, net, x, mode="reverse")
    print(table_row((n_, m_, c_f.forward, c_r.reverse, f"{1e3 * t_f:.2f}", f"{1e3 * t_r:.2f}", f"{t_f / t_r:.3g}"), COLS))
agrees("前向遍数 = n，反向遍数 = m", all(s == shape for shape, s in sweeps.items()), True)

# %% [markdown]
# ## 4. 训练神经网络：f: Rⁿ → R，一遍反向扫描就够
#
# 教材接着说：参数学习中风险函数为 f: Rⁿ → R，输出是标量，所以反向模式最有效，只需要一遍计算。
# 把一个 8–16–1 网络的全部参数拉成一个向量 θ（n = 16·8 + 16 + 16 + 1 = 161 个数），
# 损失 L(θ) = ½ · mean((ŷ − y)²) 是 R¹⁶¹ → R 的函数：梯度是 1×161 的雅可比矩阵，反向 1 遍、前向 161 遍。
# 对照：教程 04 的手写反向传播（算法 5.1），这里是 tanh 隐藏层、线性输出。

# %%
N, D, H = 32, 8, 16
X, Y = rng.standard_normal((N, D)), rng.standard_normal(N)
X_t, Y_t = tg.Tensor(X), tg.Tensor(Y)
shapes = [(H, D), (H,), (H,), ()]                       # W1, b1, w2, b2
bounds = np.cumsum([0] + [int(np.prod(s)) for s in shapes])


def unpack(theta):
    return [theta[i:j].reshape(s) for i, j, s in zip(bounds[:-1], bounds[1:], shapes)]


def loss(theta):
    W1, b1, w2, b2 = unpack(theta)
    a = tg.tanh(X_t @ W1.transpose() + b1)             # N×H 隐藏层活性值
    return 0.5 * ((a @ w2 + b2 - Y_t) ** 2).mean()


def backprop_by_hand(theta):
    W1, b1, w2, b2 = unpack(theta)
    a = np.tanh(X @ W1.T + b1)
    r = (a @ w2 + b2 - Y) / N                           # ∂L/∂ŷ
    delta = np.outer(r, w2) * (1 - a**2)                # 隐藏层的误差项 δ（公式 5.49）
    return np.concatenate([(delta.T @ X).ravel(), delta.sum(0), a.T @ r, [r.sum()]])


theta0 = 0.5 * rng.standard_normal(bounds[-1])
with tg.count_sweeps() as c_grad:
    g_rev = tg.grad(loss)(theta0)
with tg.count_sweeps() as c_jac:
    g_fwd = tg.jacobian(loss, theta0, mode="forward")
print(f"参数个数 n = {bounds[-1]}；反向模式（tg.grad）: {c_grad}；前向模式: {c_jac}")
print(f"耗时：反向 {1e3 * median_time(lambda: tg.grad(loss)(theta0)):.2f} ms，"
      f"前向 {1e3 * median_time(lambda: tg.jacobian(loss, theta0, mode='forward')):.2f} ms")
agrees("一遍反向扫描的梯度与手写反向传播", g_rev.numpy(), backprop_by_hand(theta0), tol=1e-12,
       source="与手算一致")

# %% [markdown]
# 教材的原话：**“反向模式和反向传播的计算梯度的方式相同”**。反向扫描里每个基本运算执行一次它的 vjp 规则，
# 代价和这个运算的前向计算同一量级（矩阵乘法 Z = HW 的 vjp 是两次矩阵乘法 GWᵀ 和 HᵀG），
# 所以一遍反向扫描只是算一遍 f 的一个小常数倍，不随 n 增长。
#
# ### 代价在内存上
#
# vjp 规则要用前向时的值：tanh 的 vjp 要 tanh(z)，矩阵乘法 HW 对 W 的 vjp 要 H。反向扫描开始时前向早已结束，
# 所以**每一层的中间值都得存着**。用 `tracemalloc` 量一个宽 64、批大小 64 的 tanh 网络：在 `tg.no_grad()`
# 下只算值（用完即丢）的峰值，和记录计算图时算完后仍占着的内存。单位是一个 64×64 激活矩阵。

# %%
B, WIDTH = 64, 64
Ws = [tg.Tensor(rng.standard_normal((WIDTH, WIDTH)) / np.sqrt(WIDTH), requires_grad=True) for _ in range(16)]
X_deep = tg.Tensor(rng.standard_normal((B, WIDTH)))
ACT = B * WIDTH * 8                                      # 一个 float64 激活矩阵的字节数


def deep_net(depth):
    h = X_deep
    for W in Ws[:depth]:
        h = tg.tanh(h @ W)
    return h.sum()


def values_only(depth):
    with tg.no_grad():
        return deep_net(depth)


held = {}
print(table_row(("层数", "只算值的峰值", "记录图、算完仍占用"), (5, 14, 20)))
for depth in (4, 8, 16):
    peak_plain = memory_held(values_only, depth)[1]
    held[depth] = memory_held(deep_net, depth)[0]
    print(table_row((depth, f"{peak_plain / ACT:.1f}", f"{held[depth] / ACT:.1f}"), (5, 14, 20)))
agrees("16 层与 4 层所占内存之比（层数之比是 4）", held[16] / held[4], 4.0, tol=0.4, source="与线性增长一致")

# %% [markdown]
# 只算值时任何时刻只有两三个激活矩阵；记录计算图时每层的 z = hW 和 tanh(z) 都留着，层数翻倍内存也翻倍。
# 这就是训练时显存主要花在激活值上的原因；用重算换内存的梯度检查点（gradient checkpointing）就是为此。
# 本框架的前向模式也在记录下来的图上扫描（为了和反向模式共用一张图）；“真正的”前向模式（对偶数）可以
# 边算值边算切向量、算完即丢。前向模式省内存，反向模式省遍数。
#
# ## 小结
#
# | | 前向模式（jvp） | 反向模式（vjp） |
# |---|---|---|
# | 一遍扫描得到 | J v：J 的一列（v = e_j） | uᵀ J：J 的一行（u = e_i） |
# | 整个 J 需要 | n 遍 | m 遍 |
# | 教材公式 | (5.69)–(5.74) | (5.75)–(5.79) |
# | 中间值 | 可以算完即丢 | 必须存到反向扫描用完 |
# | 适合 | n ≪ m | n ≫ m，特别是损失函数 Rⁿ → R |
#
# ## 练习
#
# - ★ 02.1 前向模式：一遍一列，n 遍拼出 J
# - ★★ 02.2 反向模式：一遍一行，m 遍拼出 J
#
# 列出、开始、检查：
#
#     python -m tinygrad_cn.exercises list --lesson 02
#     python -m tinygrad_cn.exercises start 02.1 --dir 我的练习
#     python -m tinygrad_cn.exercises check 02.1 --dir 我的练习
