# %% [markdown]
# # 教程 01：σ(wx + b) 的计算图——把教材 §5.4 的例子一步一步算出来
#
# 对应教材：《神经网络与深度学习》§5.4 自动梯度计算（出版版 §4.5），
# 例子 f(x; w, b) = σ(wx + b)：图 5.8 的计算图、公式 (5.62)–(5.68) 的链式法则连乘、
# 公式 (5.69)–(5.74) 的前向模式累积、公式 (5.75)–(5.79) 的反向模式累积（以上均为出版版 §4.5.3），
# 以及数值微分公式 (5.58)、(5.59)（出版版 §4.5.1）。
#
# 教材在 x = 1, w = 0, b = 0 处算出 f = 0.5、∂f/∂w = 0.25。这一篇用 tinygrad_cn 把它重新算一遍：
#
# 1. 用基本运算（乘、加、取负、exp、除）搭出 f，tinygrad_cn 把每一步记录成计算图；
# 2. 画出计算图（图 5.8），存成 SVG；
# 3. 链式法则：路径上的局部导数连乘，公式 (5.64)–(5.68)；标出从 w 到 f 的路径；
# 4. 前向模式表（5.69–5.74），以及前向扫描的**逐帧**图；
# 5. 反向模式表（5.75–5.79），以及反向扫描的逐帧图；
# 6. 数值微分（5.58、5.59）——三种方法都得到 0.25；
# 7. 换一组 x、w、b，看所有东西跟着变，并和手推的闭式解对照；
# 8. 梯度本身也是一张计算图（`create_graph=True`）：画出来，再求一次导，得到 ∂²f/∂w²。
#
# 本文件可以直接 `python tutorials/01_sigmoid_wx_b.py` 运行，
# 也可以用 `python -m tinygrad_cn.tutorial tutorials/01_sigmoid_wx_b.py` 逐格（cell）执行。
# 每一个数字都有 `assert` 检查。图存成 SVG 文件（用浏览器打开），需要一个 Graphviz 引擎
# （安装 tinygrad-cn 时已经带上了 `graphviz-pure`）；没有引擎也能跑完，只是不存图。

# %%
import re
import unicodedata

import numpy as np

import tinygrad_cn as tg
from tinygrad_cn import plotting, viz
from tinygrad_cn.teach.lesson import OUT, QUICK, save_drawing
from tinygrad_cn.teach.textbook import sigmoid_example
from tinygrad_cn.teach.trace import chain, forward_steps, forward_table, reverse_steps, reverse_table

np.set_printoptions(precision=6, suppress=True, linewidth=100)


def pad(text, width):
    """``text`` left-aligned in ``width`` terminal columns (a Chinese character takes two)."""
    used = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in str(text))
    return str(text) + " " * max(0, width - used)


def close(a, b, tol=1e-12):
    """|a − b| ≤ tol (absolute): the engine's numbers against the book's or a hand computation."""
    return abs(float(a) - float(b)) <= tol


def save_frames(output, name, **kw):
    """viz.frames into <OUT>/<name>/ (step_00.svg, step_01.svg, …); the list of paths, or [] without
    an engine (the drawings themselves are still made, by viz.step_drawings)."""
    try:
        paths = viz.frames(output, OUT / name, **kw)
    except viz.EngineNotFoundError:
        print("（没有 Graphviz 引擎，不存逐帧图）")
        return []
    print(f"{len(paths)} 帧已保存 frames saved: {plotting.display_path(OUT / name)}/"
          f"{paths[0].name} … {paths[-1].name}")
    return paths


def marked(drawing, cls):
    """Names of the tensor boxes of a drawing whose class has ``cls`` ("path", "current", …)."""
    names = []
    for line in drawing.source.splitlines():
        m = re.match(r'\tt\d+ \[.* class="([^"]*)" .* tooltip="([^:]*):', line)
        if m and cls in m.group(1).split():
            names.append(m.group(2))
    return names


# %% [markdown]
# ## 1. 把 f 拆成基本运算
#
# 公式 (5.62)–(5.63)（出版版 §4.5.3）：
#
#     f(x; w, b) = σ(wx + b) = 1 / (exp(−(wx + b)) + 1)
#
# 按计算顺序拆开，每一步只做一个基本运算（图 5.8 中的 h₁ … h₆）：
#
#     h1 = w · x,  h2 = h1 + b,  h3 = −h2,  h4 = exp(h3),  h5 = h4 + 1,  h6 = 1 / h5,  f = h6
#
# `sigmoid_example(x, w, b)` 正是这样搭的（见 `tinygrad_cn/textbook.py`，十来行）：
# 每个运算都被记录下来，`.named("h1")` 给节点起教材里的名字。w 和 b 是参数（`requires_grad=True`），
# x 是输入（不求导）。
#
# 在 x = 1, w = 0, b = 0 处手算：h1 = 0，h2 = 0，h3 = 0，h4 = e⁰ = 1，h5 = 2，h6 = 1/2，f = 0.5。

# %%
g = sigmoid_example(x=1.0, w=0.0, b=0.0)
for k in ("h1", "h2", "h3", "h4", "h5", "h6", "f"):
    print(f"{k} = {getattr(g, k).item() + 0.0:g}")  # + 0.0 prints −0 (h3 = −0) as 0
hand = dict(h1=0.0, h2=0.0, h3=0.0, h4=1.0, h5=2.0, h6=0.5, f=0.5)
for k, v in hand.items():
    assert close(getattr(g, k).item(), v), k
# the same number as the composite op tg.sigmoid, which has its own (numerically stable) rule
assert close(tg.sigmoid(tg.Tensor(0.0)).item(), 0.5)

# %% [markdown]
# ## 2. 计算图（图 5.8）
#
# `tg.draw(f)` 画出 f 是怎样算出来的：圆角方框是张量（节点的值写在名字后面），黄色小椭圆是运算，
# 箭头从输入指向运算、再指向结果。颜色：绿色 = 参数（w、b），灰色 = 常量或输入（x 和两个字面量 1），
# 蓝色 = 中间结果（h1 … h6），橙色粗框 = 被画的输出 f。
#
# 没有名字的节点（这里是 h5 = h4 + 1 和 h6 = 1/h5 里的两个常数 1）自动编号 v1、v2……，
# 编号按前向计算的顺序；后面的步骤表用的是**同一套**名字（`tinygrad_cn.trace.node_names`），
# 所以表里的一行和图里的一个方框总是对得上。
#
# SVG 文件用浏览器打开即可；在 Jupyter 里它直接显示在单元格下面。

# %%
fig58 = tg.draw(g.f, title="图 5.8：f(x; w, b) = σ(wx + b)，x = 1, w = 0, b = 0")
save_drawing(fig58, "01_fig5_8")
names_in_drawing = set(re.findall(r'tooltip="([^:]*):', fig58.source))
print("图中的张量与运算:", sorted(names_in_drawing))
# 3 inputs + h1…h6 + f + the two literal 1s = 12 tensor boxes, named as in fig. 5.8
assert {"x", "w", "b", "h1", "h2", "h3", "h4", "h5", "h6", "f", "v1", "v2"} <= names_in_drawing
assert fig58.source.count("tooltip=") == 12 + 7  # 12 tensors, 7 ops (×, +, −, exp, +, ÷, =)

# %% [markdown]
# ## 3. 链式法则：路径上的导数连乘（公式 5.64–5.68）
#
# f 对 w 的导数 = 从 f 沿计算图走到 w 的路径上，所有局部导数的乘积（公式 5.64）：
#
#     ∂f/∂w = ∂f/∂h6 · ∂h6/∂h5 · ∂h5/∂h4 · ∂h4/∂h3 · ∂h3/∂h2 · ∂h2/∂h1 · ∂h1/∂w
#
# 每个局部导数只看一个基本运算，手算（x = 1, w = 0, b = 0）：
#
# | 局部导数 | 规则 | 值 |
# |---|---|---|
# | ∂f/∂h6 | f = h6 | 1 |
# | ∂h6/∂h5 | (1/h5)′ = −1/h5² | −1/4 = −0.25 |
# | ∂h5/∂h4 | (h4 + 1)′ | 1 |
# | ∂h4/∂h3 | (exp h3)′ = exp h3 | e⁰ = 1 |
# | ∂h3/∂h2 | (−h2)′ | −1 |
# | ∂h2/∂h1 | (h1 + b)′ | 1 |
# | ∂h1/∂w | (w·x)′ = x | 1 |
#
# 代入就是公式 (5.67)：1 × (−0.25) × 1 × 1 × (−1) × 1 × 1 = 0.25（公式 5.68）。
#
# `tg.trace.chain(f, w)` 从记录下来的图上读出每条路径和路径上的每个局部导数
# （每个局部导数都是那个运算自己的求导规则算出来的）。这里 f 到 w 只有一条路径；
# 有多条路径时，教材说“将这多条路径上的导数再进行相加”。

# %%
(path_w,) = chain(g.f, g.w)  # exactly one path from f down to w
print("∂f/∂w = " + " · ".join(f"∂{node}/∂{inp}" for node, inp, _ in path_w))
print("      = " + " × ".join(f"{d:g}" for _, _, d in path_w) + f" = {np.prod([d for _, _, d in path_w]):g}")
factors_w = [d for _, _, d in path_w]
assert [(n, i) for n, i, _ in path_w] == [("f", "h6"), ("h6", "h5"), ("h5", "h4"), ("h4", "h3"),
                                          ("h3", "h2"), ("h2", "h1"), ("h1", "w")]
assert factors_w == [1.0, -0.25, 1.0, 1.0, -1.0, 1.0, 1.0]  # eq. 5.67
assert close(np.prod(factors_w), 0.25)  # eq. 5.68

(path_b,) = chain(g.f, g.b)  # eq. 5.65: the same chain, ending with ∂h2/∂b = 1
print("∂f/∂b = " + " × ".join(f"{d:g}" for _, _, d in path_b) + f" = {np.prod([d for _, _, d in path_b]):g}")
assert [d for _, _, d in path_b] == [1.0, -0.25, 1.0, 1.0, -1.0, 1.0]
assert close(np.prod([d for _, _, d in path_b]), 0.25)

# %% [markdown]
# ### 从 w 到 f 的路径
#
# `tg.draw(f, highlight=w)` 把从 w 到 f 的每条路径画成红色——就是上面连乘的那几条边。
# b、x 和两个常数 1 不在这条路径上：它们的变化影响 f，但 w 的变化不经过它们。

# %%
fig_path = tg.draw(g.f, highlight=g.w, title="从 w 到 f 的路径（公式 5.64）")
save_drawing(fig_path, "01_path_from_w")
on_path = marked(fig_path, "path")
print("红色路径上的张量:", on_path)
assert on_path == ["w", "h1", "h2", "h3", "h4", "h5", "h6", "f"]  # the chain of eq. 5.64
assert on_path[::-1] == [n for n, _, _ in path_w] + ["w"]

# %% [markdown]
# ## 4. 前向模式：顺着计算方向累积（公式 5.69–5.74）
#
# 前向模式从 ∂w/∂w = 1 开始，按计算顺序，对每个节点 h 算出 ∂h/∂w：
# 每一步 = 这个节点对它的输入的局部导数 × 输入已经算好的 ∂输入/∂w。
# 教材写出了第 1、2、3、6、7 行（公式 5.69、5.70、5.71、5.73、5.74），中间的省略号（5.72）也在表里：
# ∂h4/∂w = e^{h3} · (−1) = −1，∂h5/∂w = 1 · (−1) = −1。
#
# `forward_table(f, w)` 每行：节点、它怎样算出来、它的值、局部导数、以及链式法则的乘积。

# %%
print(forward_table(g.f, g.w))
fsteps = forward_steps(g.f, g.w)
totals = {s.node: s.total for s in fsteps}
assert [s.node for s in fsteps] == ["h1", "h2", "h3", "h4", "h5", "h6", "f"]
assert totals["h1"] == 1.0  # eq. 5.69: ∂h1/∂w = x = 1
assert totals["h2"] == 1.0  # eq. 5.70: 1 × 1
assert totals["h3"] == -1.0  # eq. 5.71: −1 × 1
assert totals["h4"] == -1.0 and totals["h5"] == -1.0  # eq. 5.72 (the "⋮"): e⁰ × (−1), 1 × (−1)
assert totals["h6"] == 0.25  # eq. 5.73: −0.25 × −1
assert totals["f"] == 0.25  # eq. 5.74: 1 × 0.25
assert fsteps[5].equation() == "∂h6/∂w = ∂h6/∂h5 · ∂h5/∂w = (-0.25) × (-1) = 0.25"

# %% [markdown]
# ### 逐帧看前向扫描
#
# `viz.frames(f, 目录, mode="forward", wrt=w)` 为每一步画一张图，存成编号的 SVG
# （step_00.svg、step_01.svg、……），按顺序翻看就是一次前向扫描：
#
# - 紫色粗框 = 这一步正在算的节点，紫色的边 = 这一步的链式法则用到的边（从带着 ∂·/∂w 的输入进来）；
# - 每个节点下面是**到这一步为止**已经知道的 ∂h/∂w（蓝色），还没算到的写作 “= ?”；
# - 标题是第几步和这一步的公式（与上表同一行）。
#
# 帧的顺序和数值都直接取自 `forward_steps`，所以图和表不会对不上。

# %%
fwd_frames = save_frames(g.f, "01_frames_forward", mode="forward", wrt=g.w)
fwd_drawings = viz.step_drawings(g.f, mode="forward", wrt=g.w)
current = [marked(d, "current") for d in fwd_drawings]
print("每一帧的当前节点:", current)
assert len(fwd_drawings) == len(fsteps) == 7  # one frame per step
assert fwd_frames == [] or len(fwd_frames) == 7
assert current == [[s.node] for s in fsteps]
assert "∂h3/∂w = -1" in fwd_drawings[2].source and "∂h6/∂w = ?" in fwd_drawings[2].source

# %% [markdown]
# ## 5. 反向模式：逆着计算方向累积（公式 5.75–5.79）
#
# 反向模式从 ∂f/∂f = 1 开始，逆着计算顺序，对每个节点 h 算出 ∂f/∂h：
# 每一步 = 用到 h 的那个节点已经算好的 ∂f/∂(用到 h 的节点) × 它对 h 的局部导数
# （h 被用了不止一次时，各条边的贡献相加）。
#
# 一遍扫描就同时得到 ∂f/∂w **和** ∂f/∂b——教材说：“反向模式和反向传播的计算梯度的方式相同”。

# %%
print(reverse_table(g.f))
rsteps = reverse_steps(g.f)
adj = {s.node: s.total for s in rsteps}
assert [s.node for s in rsteps] == ["f", "h6", "h5", "h4", "h3", "h2", "h1", "w", "b"]
assert adj["f"] == 1.0 and adj["h6"] == 1.0  # eq. 5.75: ∂f/∂h6 = 1
assert adj["h5"] == -0.25  # eq. 5.76: 1 × (−0.25)
assert adj["h4"] == -0.25  # eq. 5.77: −0.25 × 1
assert adj["h3"] == -0.25 and adj["h2"] == 0.25 and adj["h1"] == 0.25  # eq. 5.78 (the "⋮"), by hand
assert adj["w"] == 0.25  # eq. 5.79: 0.25 × 1
assert adj["b"] == 0.25  # ∂f/∂b from the same sweep

# the engine's backward() is this sweep: it leaves ∂f/∂w, ∂f/∂b in .grad
g.f.backward(retain_graph=True)
print(f"backward(): w.grad = {g.w.grad.item():g}, b.grad = {g.b.grad.item():g}")
assert g.w.grad.item() == 0.25 and g.b.grad.item() == 0.25

# %% [markdown]
# ### 逐帧看反向扫描
#
# `viz.frames(f, 目录)`（默认 `mode="reverse"`）：9 帧，从 f 退回到 w 和 b。
# 每个节点下面是到这一步为止已经知道的 ∂f/∂h（红色）；紫色的边是当前节点通向它的“用户”的边，
# 链式法则的项就是从那里传回来的。

# %%
rev_frames = save_frames(g.f, "01_frames_reverse", mode="reverse")
rev_drawings = viz.step_drawings(g.f, mode="reverse")
print("每一帧的当前节点:", [marked(d, "current") for d in rev_drawings])
assert len(rev_drawings) == len(rsteps) == 9
assert rev_frames == [] or len(rev_frames) == 9
assert [marked(d, "current") for d in rev_drawings] == [[s.node] for s in rsteps]
assert "∂f/∂h5 = -0.25" in rev_drawings[2].source and "∂f/∂w = ?" in rev_drawings[2].source
assert "∂f/∂w = 0.25" in rev_drawings[-1].source

# %% [markdown]
# ## 6. 第三种方法：数值微分（公式 5.58、5.59）
#
# 把导数定义里的极限去掉，取一个很小的 Δx：
#
#     前向差分 (5.58)：f′(w) ≈ (f(w + Δx) − f(w)) / Δx
#     中心差分 (5.59)：f′(w) ≈ (f(w + Δx) − f(w − Δx)) / (2Δx)
#
# `tg.numerical_grad` 默认用中心差分、Δx = 10⁻⁶（前向差分默认 Δx = 10⁻⁸）。
# 它只需要能算 f 的值，不需要计算图——所以常用来**检验**自动微分（梯度检验）。
# 代价：每个参数要多算两次 f，而且只是近似（误差怎样随 Δx 变化见教程 03）。

# %%
def f_of(w, b, x=1.0):
    return sigmoid_example(x, w, b).f


num_w, num_b = tg.numerical_grad(f_of, 0.0, 0.0)  # central difference, eq. 5.59
fd_w, fd_b = tg.numerical_grad(f_of, 0.0, 0.0, method="forward")  # forward difference, eq. 5.58
rows = [("链式法则连乘 (5.67)", np.prod(factors_w), np.prod([d for _, _, d in path_b])),
        ("前向模式 (5.69–5.74)", totals["f"], forward_steps(g.f, g.b)[-1].total),
        ("反向模式 (5.75–5.79)", adj["w"], adj["b"]),
        ("中心差分 (5.59)", float(num_w), float(num_b)),
        ("前向差分 (5.58)", float(fd_w), float(fd_b))]
print(pad("方法", 24) + f"{'∂f/∂w':>20}{'∂f/∂b':>20}{'∂f/∂w − 0.25':>16}")
for name, dw, db in rows:
    print(pad(name, 24) + f"{dw:20.15f}{db:20.15f}{dw - 0.25:16.2e}")
for name, dw, db in rows[:3]:
    assert dw == 0.25 and db == 0.25, name  # exact: every local derivative is exact here
assert close(num_w, 0.25, 1e-9) and close(num_b, 0.25, 1e-9)  # measured 3.5e-11 (round-off ~ ε/Δx)
assert close(fd_w, 0.25, 1e-7) and close(fd_b, 0.25, 1e-7)  # measured −1.5e-9 (round-off ~ ε/Δx)
assert not close(num_w, 0.25, 0.0) and not close(fd_w, 0.25, 0.0)  # approximate, not exact

# %% [markdown]
# 三种方法都得到 0.25。链式法则、前向模式和反向模式得到的是**精确的** 0.25
# （这里每个局部导数都是 ±1、−0.25 这样的二进制可精确表示的数）；
# 数值微分只是近似：这里中心差分偏了 3.5e-11，前向差分偏了 −1.5e-9——误差来自截断（Δx 不是 0）
# 和舍入（两个几乎相等的 f 值相减，再除以很小的 Δx）；误差随 Δx 怎样变化见教程 03。

# %% [markdown]
# ## 7. 换一组 x、w、b：所有东西都跟着变
#
# 下面这一格从头重建：改 **X、W、B** 这三行，再运行这一格，计算图、链式法则、两张表、逐帧图、
# 三种方法的梯度都会重新算出来，并且每一个数都和**手推的闭式解**对照（用 NumPy 直接算，不经过
# tinygrad_cn）：记 z = wx + b，σ(z) = 1/(1 + e^{−z})，σ′(z) = σ(z)(1 − σ(z))（公式 5.81），则
#
#     f = σ(z),   ∂f/∂w = σ′(z) · x,   ∂f/∂b = σ′(z)
#
# 这里取 x = 2, w = 0.5, b = −1。注意 z = 2 × 0.5 − 1 = 0，和教材的点一样，所以 f = 0.5、σ′(z) = 0.25
# 都没变；但 ∂h1/∂w = x = 2，于是 ∂f/∂w = 0.25 × 2 = 0.5 翻了一倍，而 ∂f/∂b 仍是 0.25。
# 再试试 b = −0.5（z = 0.5）：表里几乎每个数都会变，而断言仍然成立。

# %%
X, W, B = 2.0, 0.5, -1.0  # ← change these and run this cell again

ex = sigmoid_example(X, W, B)
save_drawing(tg.draw(ex.f, highlight=ex.w, title=f"f = σ(wx + b)，x = {X:g}, w = {W:g}, b = {B:g}"),
         "01_explore")
(ex_path,) = chain(ex.f, ex.w)
print("∂f/∂w = " + " × ".join(f"{d:.6g}" for _, _, d in ex_path) + f" = {np.prod([d for _, _, d in ex_path]):.6g}")
print(forward_table(ex.f, ex.w))
print(reverse_table(ex.f))
ex_fwd, ex_rev = forward_steps(ex.f, ex.w), reverse_steps(ex.f)
ex_frames = save_frames(ex.f, "01_explore_frames", mode="reverse")
ex_num_w, ex_num_b = tg.numerical_grad(lambda w, b: f_of(w, b, X), W, B)
ex.f.backward()
print(f"∂f/∂w：反向 {ex.w.grad.item():.15f}  前向 {ex_fwd[-1].total:.15f}  中心差分 {float(ex_num_w):.15f}")
print(f"∂f/∂b：反向 {ex.b.grad.item():.15f}  中心差分 {float(ex_num_b):.15f}")

# the hand computation, in NumPy only
h1 = W * X
h2 = h1 + B
h3 = -h2
h4 = np.exp(h3)
h5 = h4 + 1
h6 = 1 / h5
sig = 1 / (1 + np.exp(-(W * X + B)))
dsig = sig * (1 - sig)  # σ'(z), eq. 5.81
local = [1.0, -1 / h5**2, 1.0, h4, -1.0, 1.0, X]  # ∂f/∂h6, ∂h6/∂h5, …, ∂h1/∂w (the rules of section 3)
print(f"闭式解: f = {sig:.15f}, ∂f/∂w = σ′(z)·x = {dsig * X:.15f}, ∂f/∂b = σ′(z) = {dsig:.15f}")
assert close(ex.f.item(), sig) and close(h6, sig)
assert all(close(getattr(ex, k).item(), v) for k, v in zip(("h1", "h2", "h3", "h4", "h5", "h6"),
                                                            (h1, h2, h3, h4, h5, h6)))
assert all(close(d, want) for (_, _, d), want in zip(ex_path, local))  # eq. 5.67 at this point
assert close(np.prod([d for _, _, d in ex_path]), dsig * X)
# forward mode: ∂h_k/∂w is the product of the local derivatives from h_k down to w
fwd_hand = np.cumprod(local[::-1])  # ∂h1/∂w, ∂h2/∂w, …, ∂f/∂w
assert all(close(s.total, want) for s, want in zip(ex_fwd, fwd_hand)) and len(ex_fwd) == 7
# reverse mode: ∂f/∂h_k is the product of the local derivatives from f down to h_k
rev_hand = dict(zip(["h6", "h5", "h4", "h3", "h2", "h1", "w"], np.cumprod(local)))
assert all(close(s.total, rev_hand[s.node]) for s in ex_rev if s.node in rev_hand)
assert close({s.node: s.total for s in ex_rev}["b"], dsig)
assert close(ex.w.grad.item(), dsig * X) and close(ex.b.grad.item(), dsig)
tol_num = 1e-9 * max(1.0, abs(X)) ** 3  # central difference: its truncation error grows like x³·Δx²
assert close(ex_num_w, dsig * X, tol_num) and close(ex_num_b, dsig, tol_num)
assert ex_frames == [] or len(ex_frames) == len(ex_rev)
if (X, W, B) == (2.0, 0.5, -1.0):  # the values above: z = 0, so σ'(z) = 0.25
    assert ex.w.grad.item() == 0.5 and ex.b.grad.item() == 0.25 and ex.f.item() == 0.5

# %% [markdown]
# ### 7b. 再多试一些点
#
# 同样的检查，在一批随机的 (x, w, b) 上：x、b 取自 [−2, 2]，w 取自 [−8, 8]（固定随机种子），
# σ 已经饱和（|z| 很大、σ′(z) 很小）的点也包括在内。
# 完整运行（`python tutorials/01_sigmoid_wx_b.py`）试 200 个点，z 落在 [−13.31, 15.10]；
# 与闭式解的最大（绝对）偏差：反向模式 2.14e-16、前向模式 2.14e-16（只差最后一两位的舍入），
# 中心差分（Δx = 10⁻⁶）1.22e-10。
# 测试套件里的快速运行（`TINYGRAD_CN_QUICK=1`）只试前 20 个点：z ∈ [−7.51, 9.69]，
# 最大偏差 1.73e-16、1.70e-16、1.04e-10。

# %%
rng = np.random.default_rng(1)
n_points = 20 if QUICK else 200   # QUICK: the test suite's short run
worst = {"reverse": 0.0, "forward": 0.0, "central": 0.0}
points = rng.uniform(-2.0, 2.0, size=(n_points, 3)) * [1.0, 4.0, 1.0]  # x, b in [−2, 2]; w in [−8, 8]
z_all = points[:, 0] * points[:, 1] + points[:, 2]
print(f"z = wx + b 的范围: [{z_all.min():.2f}, {z_all.max():.2f}]")
for x_, w_, b_ in points:
    e = sigmoid_example(x_, w_, b_)
    gw_fwd = forward_steps(e.f, e.w)[-1].total
    e.f.backward()
    cw, cb = tg.numerical_grad(lambda w, b: f_of(w, b, x_), w_, b_)
    s_ = 1 / (1 + np.exp(-(w_ * x_ + b_)))
    want_w, want_b = s_ * (1 - s_) * x_, s_ * (1 - s_)
    worst["reverse"] = max(worst["reverse"], abs(e.w.grad.item() - want_w), abs(e.b.grad.item() - want_b))
    worst["forward"] = max(worst["forward"], abs(gw_fwd - want_w))
    worst["central"] = max(worst["central"], abs(float(cw) - want_w), abs(float(cb) - want_b))
print(f"{n_points} 个点上与闭式解的最大偏差:", {k: f"{v:.2e}" for k, v in worst.items()})
assert worst["reverse"] < 1e-15 and worst["forward"] < 1e-15
assert worst["central"] < 1e-9
assert np.abs(z_all).max() > 5  # saturated points are included (σ'(5) ≈ 0.0066)

# %% [markdown]
# ## 8. 梯度也是计算图：画出 ∂f/∂w，再求一次导
#
# `f.backward(create_graph=True)` 在反向扫描时**也记录**它做的每一个运算，
# 于是 `w.grad` 不只是一个数，而是一张新的计算图：它由原图的节点（h4、h5、h6、x ……）
# 经过求导规则里的运算（乘、除、取负……）算出来。把它画出来：
#
# 新图里没有名字的节点同样按前向顺序编号 v1、v2……，下面的反向模式表用的是同一套名字。

# %%
g2 = sigmoid_example(x=1.0, w=0.0, b=0.0)
g2.f.backward(create_graph=True)
dfdw = g2.w.grad.named("dfdw")  # ∂f/∂w as a graph
grad_graph = tg.draw(dfdw, title="create_graph=True 记录下来的 ∂f/∂w 的计算图")
n_boxes = len(re.findall(r"^\tt\d+ \[", grad_graph.source, flags=re.M))
n_ops = len(re.findall(r"^\top\d+ \[", grad_graph.source, flags=re.M))
print(f"∂f/∂w = {dfdw.item():g}；它的计算图有 {n_boxes} 个张量、{n_ops} 个运算")
save_drawing(grad_graph, "01_grad_graph")
print(reverse_table(dfdw))
table_names = {s.node for s in reverse_steps(dfdw)}
drawn_names = set(re.findall(r'tooltip="([^:]*):', grad_graph.source))
assert dfdw.item() == 0.25
assert {"h4", "h5", "h6", "x", "w", "dfdw"} <= drawn_names  # built from the forward graph's nodes
assert table_names <= drawn_names  # the table and the drawing use the same names

# %% [markdown]
# ### 二阶导数 ∂²f/∂w²
#
# 对这张图再做一次反向扫描，就得到 ∂(∂f/∂w)/∂w = ∂²f/∂w²。手推闭式解：∂f/∂w = σ′(z)·x，
# 再对 w 求导（σ″ = (σ(1 − σ))′ = σ′(1 − 2σ)）：
#
#     ∂²f/∂w² = σ(z)(1 − σ(z))(1 − 2σ(z)) · x²
#
# 在教材的点 z = 0 处 σ = 0.5，1 − 2σ = 0，二阶导数是 0——z = 0 正是 σ 的拐点。
# 所以再换一个 z ≠ 0 的点（x = 1, w = 2, b = 0，z = 2）看一个不为零的值；
# 表的第三行是第 7 节的 X、W、B（默认 x = 2, w = 0.5, b = −1，z 也是 0）。
# 三种算法对照闭式解：
#
# 1. 上面那张 ∂f/∂w 的图上做反向扫描（`reverse_steps(dfdw)` 里 w 那一行，也就是表的倒数第二行）；
# 2. `tg.grad(tg.grad(f))`：函数式接口，反向套反向；
# 3. 对 ∂f/∂w 做中心差分（5.59）。

# %%
def f_elementary(w, x, b):
    """f = 1/(exp(−(wx + b)) + 1) from elementary ops (eq. 5.63), as a function of w."""
    return 1 / ((-(w * x + b)).exp() + 1)


def second_derivative(x, w, b):
    e = sigmoid_example(x, w, b)
    e.f.backward(create_graph=True)
    by_table = {s.node: s.total for s in reverse_steps(e.w.grad)}["w"]
    by_grad2 = tg.grad(tg.grad(lambda w: f_elementary(w, x, b)))(w).item()
    d1 = tg.grad(lambda w: f_elementary(w, x, b))
    h = 1e-5
    by_diff = (d1(w + h).item() - d1(w - h).item()) / (2 * h)
    s = 1 / (1 + np.exp(-(w * x + b)))
    closed = s * (1 - s) * (1 - 2 * s) * x**2
    return by_table, by_grad2, by_diff, closed


print(f"{'(x, w, b)':<16}{'反向扫描 ∂f/∂w 的图':>22}{'grad(grad(f))':>22}{'中心差分':>16}{'闭式解':>22}")
for point in [(1.0, 0.0, 0.0), (1.0, 2.0, 0.0), (X, W, B)]:
    by_table, by_grad2, by_diff, closed = second_derivative(*point)
    print(f"{str(point):<16}{by_table + 0.0:22.15f}{by_grad2 + 0.0:22.15f}{by_diff + 0.0:16.10f}"
          f"{closed + 0.0:22.15f}")  # + 0.0: print −0 as 0
    assert close(by_table, closed, 1e-15) and close(by_grad2, closed, 1e-15)
    assert close(by_diff, closed, 1e-8)
    if point == (1.0, 0.0, 0.0):
        assert by_table == 0.0 and closed == 0.0  # z = 0: σ's inflection point
    if point == (1.0, 2.0, 0.0):
        assert by_table < -0.07  # σ(2) ≈ 0.881: 0.881 × 0.119 × (−0.762) ≈ −0.080

# %% [markdown]
# ## 小结
#
# - 一个函数拆成基本运算就是一张计算图（图 5.8）；每个基本运算的导数都有简单的规则；
# - 链式法则：∂f/∂w 是路径上局部导数的乘积（公式 5.64–5.68），多条路径再相加；
# - 前向模式（5.69–5.74）顺着计算方向，一遍得到所有节点对**一个**输入的导数；
#   反向模式（5.75–5.79）逆着计算方向，一遍得到**一个**输出对所有节点的导数——
#   训练神经网络要的正是后者（见教程 02）；
# - 数值微分（5.58、5.59）只需要能算函数值，结果是近似的，用来检验另外两种（见教程 03）；
# - 梯度本身也是计算图，可以画出来，也可以再求导。
#
# 本篇存下的文件（默认在 `./out/`，逐格运行时在 `--out` 指定的目录）：
# `01_fig5_8.svg`、`01_path_from_w.svg`、`01_frames_forward/step_00.svg … step_06.svg`、
# `01_frames_reverse/step_00.svg … step_08.svg`、`01_explore.svg`、`01_explore_frames/`、`01_grad_graph.svg`。
