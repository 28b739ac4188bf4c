# %% [markdown]
# # 教程 12：自动微分替你写出反向传播——把梯度编译成一段程序
#
# 对应教材：《神经网络与深度学习》§5.3 反向传播算法（出版版 §4.4）的算法 5.1 与公式 (5.44)–(5.57)，
# 以及 §5.4 自动梯度计算（出版版 §4.5）的反向模式（公式 5.75–5.79）。
#
# 教程 04 用 NumPy **手写**了算法 5.1：前馈时存下 z⁽ˡ⁾、a⁽ˡ⁾，再从输出层开始一层层算误差项 δ⁽ˡ⁾。
# 这一篇反过来：只写前向计算，让 `tg.jit` 做三件事——
#
# 1. 在一组例子输入上**记录**一次前向计算（计算图），再把反向扫描本身也记录下来（`create_graph`：
#    反向扫描的每一步也是一个基本运算）；
# 2. 把记录下来的每个基本运算写成一行 NumPy 代码，得到一段**直线程序**（没有循环、没有分支、没有计算图）；
# 3. 把这段程序按教材的记号打印出来：前向是 h1 = w · x，反向是 ∂f/∂h5 = …
#
# 然后把生成的反向程序和教程 04 的算法 5.1 逐行对照，检查它们算出同样的数，并量一量谁更快。
# 结论就是标题："自动微分替你写出了你亲手写过的反向传播"。
#
# 本文件可以直接 `python tutorials/12_autodiff_writes_backprop.py` 运行，
# 也可以用 `python -m tinygrad_cn.tutorial tutorials/12_autodiff_writes_backprop.py` 逐格（cell）执行。
# 每一个数字都有 `assert` 检查；计时只打印，不作断言（机器忙闲不同，快慢会变）。
# 带「先想一想」的格子会先请你猜一个数（或在几个选项里选一个），再运行。

# %%
import gc
import re
import time

import numpy as np

import tinygrad_cn as tg
from tinygrad_cn.teach.lesson import QUICK
from tinygrad_cn.teach.text import pad

np.set_printoptions(precision=5, suppress=True, linewidth=100)
TOL = 1e-12

# %% [markdown]
# ## 1. 先看教材的例子：σ(wx + b)
#
# 和教程 01 一样，用基本运算搭出 f(x; w, b) = σ(wx + b)（图 5.8），给每个中间结果起教材里的名字。
# `tg.jit(f, wrt=(0, 2))` 表示"对第 0 个和第 2 个参数（w 和 b）求梯度"。第一次调用时它记录、生成、编译；
# 返回值和 `tg.value_and_grad` 一样：(f 的值, (∂f/∂w, ∂f/∂b))。

# %%
def f(w, x, b):
    h1 = (w * x).named("h1")
    h2 = (h1 + b).named("h2")
    h3 = (-h2).named("h3")
    h4 = h3.exp().named("h4")
    h5 = (h4 + 1).named("h5")
    return (1 / h5).named("f")


sigma_wx_b = tg.jit(f, wrt=(0, 2))
value, (df_dw, df_db) = sigma_wx_b(0.0, 1.0, 0.0)      # w = 0, x = 1, b = 0, as in the book
print("f =", value.item(), "  ∂f/∂w =", df_dw.item(), "  ∂f/∂b =", df_db.item())
assert (value.item(), df_dw.item(), df_db.item()) == (0.5, 0.25, 0.25)
sigma_wx_b.show()

# %% [markdown]
# 上半部分就是教材的 (5.62)；下半部分是反向模式的表 (5.75)–(5.79)，从 ∂f/∂h5 一路写到 ∂f/∂w：
# 每一行只用到**它上面已经算出的**量和前向时留下的值（h4、h5、f 本身）。
# 常数（种子 ∂f/∂f = 1、−1 · 1）在记录时就已经算好，不占一行。
# 像 ∂f/∂h4 = ∂f/∂h5 这样的行只是"换个名字"（h5 = h4 + 1 把梯度原样传下去），程序里也不占一行。

# %%
lines = sigma_wx_b.text.splitlines()
for line in ("h1 = w · x", "∂f/∂h3 = ∂f/∂h5 · h4", "∂f/∂h2 = −∂f/∂h3", "∂f/∂w = ∂f/∂h2 · x", "∂f/∂b = ∂f/∂h2"):
    assert line in lines, line

# %% [markdown]
# ## 2. 两层网络：生成的反向程序
#
# 现在换成教程 04 那样的网络，只是小一点：4-5-3，两层都用 logistic 函数，N = 6 个样本按行排成 X，
# 损失是平方误差之和 L = ½ Σ‖a⁽²⁾ − y‖²（RHW 1986 的 E）。按教材的记号给中间结果起名：
#
#     z⁽ˡ⁾ = W⁽ˡ⁾ a⁽ˡ⁻¹⁾ + b⁽ˡ⁾   (5.26)       a⁽ˡ⁾ = σ(z⁽ˡ⁾)   (5.27)
#
# 一批样本按行排列时写成 Z = X Wᵀ + b（同教程 04）。

# %%
def loss(W1, b1, W2, b2, X, Y):
    z1 = (X @ W1.T + b1).named("z1")
    a1 = tg.sigmoid(z1).named("a1")
    z2 = (a1 @ W2.T + b2).named("z2")
    a2 = tg.sigmoid(z2).named("a2")
    e = (a2 - Y).named("e")
    return (0.5 * (e * e).sum()).named("L")


rng = np.random.default_rng(12)
N = 6
W1, b1, W2, b2 = rng.normal(size=(5, 4)), rng.normal(size=5), rng.normal(size=(3, 5)), rng.normal(size=3)
X, Y = rng.normal(size=(N, 4)), rng.random((N, 3))

step = tg.jit(loss, wrt=(0, 1, 2, 3))
L_jit, grads_jit = step(W1, b1, W2, b2, X, Y)

# %% [predict] choices=比手写的多|和手写的一样多|比手写的少 answer=compared
# 先想一想：教程 04 手写的算法 5.1，反向部分是 7 个赋值：δ⁽²⁾、∂L/∂W⁽²⁾、∂L/∂b⁽²⁾、(W⁽²⁾)ᵀδ⁽²⁾、δ⁽¹⁾、
# ∂L/∂W⁽¹⁾、∂L/∂b⁽¹⁾。tg.jit 生成的反向程序里，真正做计算的行（不算第 1 节说的“换个名字”的行和常数行）
# 比这 7 行多、一样多，还是少？
backward_lines = step.text.split("# backward")[1].strip().splitlines()
computed = [line for line in backward_lines if not re.fullmatch(r"[-\d.]+|∂L/∂\w+", line.split(" = ")[1])]
compared = "比手写的多" if len(computed) > 7 else "和手写的一样多" if len(computed) == 7 else "比手写的少"

# %%
step.show()
print(f"反向程序里做计算的行：{len(computed)} 行（手写 7 行），多出来的是 ∂L/∂e 的两行（下一节解释）")
assert len(computed) == 9 and compared == "比手写的多" and computed[:2] == ["t11 = 0.5 · e", "∂L/∂e = t11 + t11"]

# %% [markdown]
# ## 3. 逐行对照算法 5.1
#
# 把教程 04 的 `backprop_by_hand` 原样写在这里（两层、平方误差，一批样本按行）：

# %%
def backprop_by_hand(W1, b1, W2, b2, X, Y):
    z1 = X @ W1.T + b1                       # (5.26)
    a1 = 1 / (1 + np.exp(-z1))               # (5.27)
    z2 = a1 @ W2.T + b2
    a2 = 1 / (1 + np.exp(-z2))
    delta2 = (a2 - Y) * a2 * (1 - a2)        # δ⁽²⁾ = f′(z⁽²⁾) ⊙ ∂L/∂a⁽²⁾        (5.45)
    dW2, db2 = delta2.T @ a1, delta2.sum(0)  # ∂L/∂W⁽²⁾ = δ⁽²⁾ (a⁽¹⁾)ᵀ, ∂L/∂b⁽²⁾ = δ⁽²⁾  (5.56, 5.57)
    back = delta2 @ W2                       # (W⁽²⁾)ᵀ δ⁽²⁾                       (5.50)
    delta1 = a1 * (1 - a1) * back            # δ⁽¹⁾ = f′(z⁽¹⁾) ⊙ (W⁽²⁾)ᵀ δ⁽²⁾       (5.49)
    dW1, db1 = delta1.T @ X, delta1.sum(0)   # (5.56, 5.57)
    return 0.5 * np.sum((a2 - Y) ** 2), [dW1, db1, dW2, db2]


# %% [markdown]
# 下表左边是生成的程序里的一行（`step.text`），右边是手写的那一行。两边**一一对应**：
#
# - 生成的 ∂L/∂z2 就是 δ⁽²⁾ = f′(z⁽²⁾) ⊙ ∂L/∂a⁽²⁾。σ′ 是规则表里单独的一行（`sigmoid_slope`），算 σ(z)σ(−z)：
#   和 a(1 − a) 是同一个数，只是在 z 很大时不会舍入成 0（见那一行的注释）；∂L/∂e 是 e · e 的两个因子各传回 ½e 之和，即 a⁽²⁾ − y；
# - ∂L/∂W2 = ∂L/∂z2ᵀ a1 就是 (5.56)（行排列时 δᵀA）；∂L/∂b2 = sum_to(∂L/∂z2) 是 (5.57) 对样本求和——
#   广播的逆运算 sum_to 正是"把 N 个样本的 δ 加起来"；
# - ∂L/∂a1 = ∂L/∂z2 W2 就是 (W⁽²⁾)ᵀ δ⁽²⁾（5.50）；∂L/∂z1 就是 (5.49) 的 δ⁽¹⁾。

# %%
generated = {line.split(" = ")[0]: line for line in step.text.splitlines() if " = " in line}
pairs = [("∂L/∂z2", "delta2 = (a2 - Y) * a2 * (1 - a2)", "(5.45)"),
         ("∂L/∂W2", "dW2 = delta2.T @ a1", "(5.56)"),
         ("∂L/∂b2", "db2 = delta2.sum(0)", "(5.57)"),
         ("∂L/∂a1", "back = delta2 @ W2", "(5.50)"),
         ("∂L/∂z1", "delta1 = a1 * (1 - a1) * back", "(5.49)"),
         ("∂L/∂W1", "dW1 = delta1.T @ X", "(5.56)"),
         ("∂L/∂b1", "db1 = delta1.sum(0)", "(5.57)")]
print(pad("tg.jit 生成的反向程序", 38), pad("教程 04 手写的算法 5.1", 36), "公式")
for name, hand, eq in pairs:
    print(pad(generated[name], 38), pad(hand, 36), eq)
assert generated["∂L/∂z2"] == "∂L/∂z2 = ∂L/∂e · σ′(z2)"
assert generated["∂L/∂W2"] == "∂L/∂W2 = ∂L/∂z2ᵀ a1" and generated["∂L/∂a1"] == "∂L/∂a1 = ∂L/∂z2 W2"
assert generated["∂L/∂z1"] == "∂L/∂z1 = ∂L/∂a1 · σ′(z1)" and generated["∂L/∂W1"] == "∂L/∂W1 = ∂L/∂z1ᵀ X"

# %% [markdown]
# 行的顺序也和算法 5.1 一样：先输出层的 δ⁽²⁾，再它的参数梯度，再 δ⁽¹⁾，再第一层的参数梯度。
# 这不是巧合，而是反向扫描的拓扑逆序：一个量只有在它所有的"消费者"都传回了梯度之后才能算。

# %%
order = [line.split(" = ")[0] for line in step.text.splitlines()]
assert order.index("∂L/∂z2") < order.index("∂L/∂W2") < order.index("∂L/∂z1") < order.index("∂L/∂W1")

# %% [markdown]
# ## 4. 同样的数
#
# 三种算法——手写的算法 5.1、引擎逐个运算的反向扫描（`tg.value_and_grad`）、生成的程序——给出同样的梯度。
# 生成的程序和引擎执行的是**同一串 NumPy 运算**，所以它们逐位相等；手写版本的 σ′ 写法不同，差在舍入误差。

# %%
L_hand, grads_hand = backprop_by_hand(W1, b1, W2, b2, X, Y)
L_eager, grads_eager = tg.value_and_grad(loss, (0, 1, 2, 3))(W1, b1, W2, b2, X, Y)
assert abs(L_jit.item() - L_hand) < TOL
for name, gj, gh, ge in zip(("W1", "b1", "W2", "b2"), grads_jit, grads_hand, grads_eager):
    err_hand, err_eager = np.abs(gj.data - gh).max(), np.abs(gj.data - ge.data).max()
    print(f"∂L/∂{name}: 与手写之差 {err_hand:.1e}，与引擎之差 {err_eager:.1e}")
    assert err_hand < TOL and err_eager == 0

# %% [markdown]
# ## 5. 谁更快
#
# 引擎每一步都要建一个 Python 对象、查一次规则表；生成的程序只剩下 NumPy 调用。
# `step.numpy(...)` 是生成的函数本身（NumPy 数组进、NumPy 数组出），和手写代码站在同一起跑线上。
# 三者轮流计时（每一轮三者各跑一遍，减少机器忙闲的影响），取各轮的中位数。

# %%
def per_call(fn, calls):
    gc.collect()                      # the engine's garbage is collected before, not on another's clock
    t0 = time.perf_counter()
    for _ in range(calls):
        fn()
    return (time.perf_counter() - t0) / calls


contenders = {"手写算法 5.1": lambda: backprop_by_hand(W1, b1, W2, b2, X, Y),
              "tg.jit 生成的程序": lambda: step.numpy(W1, b1, W2, b2, X, Y),
              "引擎（逐个运算）": lambda: tg.value_and_grad(loss, (0, 1, 2, 3))(W1, b1, W2, b2, X, Y)}
rounds, calls = (5, 60) if QUICK else (15, 400)
times = {name: [] for name in contenders}
for _ in range(rounds):
    for name, fn in contenders.items():
        times[name].append(per_call(fn, calls))
hand_us = np.median(times["手写算法 5.1"]) * 1e6
for name, ts in times.items():
    print(f"{pad(name, 20)} {np.median(ts) * 1e6:8.1f} µs/次   是手写的 {np.median(ts) * 1e6 / hand_us:4.1f} 倍")

# %% [markdown]
# 在作者的机器上（两核），生成的程序和手写的一样快（1.0 倍上下），引擎要慢八到九倍——对这么小的网络，
# 时间全花在一次次调用 NumPy、一个个建 Python 对象上，而不是算术上。引擎的 σ 对任何 z 都不溢出
# （比 1/(1 + e^{−z}) 多几次 NumPy 调用），σ′ = σ(z)σ(−z) 又要算一次 e^{−|z|}；生成的程序看到同一个 z 的 σ 和 σ′，
# 就把两者写成共用 e^{−|z|} 和 1 + e^{−|z|} 的几行，算出的数和规则表一位不差，省下的正是这几次调用。
# 网络越大，三者越接近：784-256-256-10 的网络上，引擎与手写只差 10%–20%，见 `docs/benchmarks.md`。
#
# ## 6. 生成的程序长什么样，什么时候会重新生成
#
# `step.source` 是真正执行的 Python 代码。每一行调用的就是那个基本运算在表里的 NumPy 前向函数
# （加、减、乘、除、矩阵乘写成 Python 的运算符，它们调用的正是同一个 NumPy 函数）。所以规则只写了一遍：
# 反向程序也是用前向函数拼出来的。注释是教材记号。几处优化（每一处都不改变算出的任何一位）：
# 同一个 z 的 σ 和 σ′ 共用 e^{−|z|}（上一节）；
# 只写输出用得到的行；常数在记录时算好；两个相同的运算只算一次；一个以后再也没人读的数组直接被覆盖（`out=`），
# 比如 z1 = v2 + b1 把 b1 加进矩阵乘积的数组里，而不是再开一个新数组。

# %%
print("\n".join(step.source.splitlines()[:12]), "\n    ...")
assert "out=" in step.source

# %% [markdown]
# 程序是在**第一次调用时的形状**上记录的。换了形状（比如 N = 7），或者 Python 的 `if` 依赖了某个张量的值
# （`if loss > 0:`），`tg.jit` 会重新记录一遍，而不是悄悄给出错的答案：

# %%
X7, Y7 = rng.normal(size=(7, 4)), rng.random((7, 3))
L7, g7 = step(W1, b1, W2, b2, X7, Y7)
assert abs(L7.item() - backprop_by_hand(W1, b1, W2, b2, X7, Y7)[0]) < TOL


def relu_or_square(x):
    return tg.relu(x).sum() if x.sum() > 0 else (x * x).sum()   # a branch that depends on the values


branchy = tg.jit(relu_or_square, wrt=0)
assert branchy(np.array([1.0, -0.5]))[1].tolist() == [1.0, 0.0]     # relu branch: step(x)
assert branchy(np.array([-1.0, 0.5]))[1].tolist() == [-2.0, 1.0]    # retraced: the square's 2x
print("换形状、换分支都重新记录了，答案都对。")

# %% [markdown]
# ## 小结
#
# | | 手写（教程 04） | `tg.jit` |
# |---|---|---|
# | 前馈时存下 z⁽ˡ⁾、a⁽ˡ⁾ | 自己决定存什么 | 前向的每一行都是一个变量，反向的行直接读它 |
# | δ⁽ˡ⁾ 的递推 (5.49) | 对这个网络推一遍 | 每个运算的 vjp 规则各记录一行，拼起来就是 (5.49) |
# | 换一种层、换一个损失 | 重新推导 | 重新记录，规则表不变 |
# | 速度 | NumPy | 同样是 NumPy，几乎一样快 |
#
# ## 练习
#
# 会自己检查的一道：`python -m tinygrad_cn.exercises list --lesson 12`，
# `python -m tinygrad_cn.exercises start 12.1 --dir 我的练习`，改好后 `check 12.1 --dir 我的练习`。
#
# - 12.1 ★★ 亲手写出一层 logistic 单元的反向传播（就是 `tg.jit` 会写出的那几行），和 `tg.grad` 对照。
#
# 自己动手、没有自动检查的：
#
# 1. ★ 把隐藏层换成 `tg.tanh`，打印 `step.text`：δ⁽¹⁾ 那一行变成了什么？（表 5.1：tanh′ = 1 − a²。）
# 2. ★★ 把损失换成 softmax 交叉熵（`tg.log_softmax`），找到生成的程序里"ŷ − y"（教程 04 第 3b 节）在哪几行。
# 3. ★★ 用 `step.jvp(primals, tangents)` 生成前向模式的程序（公式 5.69–5.74），看它的行是按什么顺序写的。
