# %% [markdown]
# # 教程 01：σ(wx + b) 的计算图——把教材的例子一步一步算出来
#
# 教材（邱锡鹏 2020，§5.4，出版版 §4.5；见 [文献](../docs/references.md)）用 f(x; w, b) = σ(wx + b)
# 讲自动微分：在 x = 1, w = 0, b = 0 处 f = 0.5、∂f/∂w = 0.25。这一课把它拆成基本运算，画出计算图（图 5.8），
# 再用链式法则（公式 5.64–5.68）、前向模式（5.69–5.74）、反向模式（5.75–5.79）和数值微分（5.58、5.59）
# 四种办法各算一遍 ∂f/∂w。先读：无。下一课：教程 13（梯度的累加），然后教程 04（手写反向传播）。
#
# 带「先想一想」的格子会先请你猜一个数，再运行。

# %%
import numpy as np

import tinygrad_cn as tg
from tinygrad_cn.teach.checks import agrees
from tinygrad_cn.teach.lesson import save_drawing
from tinygrad_cn.teach.lessons.saving import save_frames
from tinygrad_cn.teach.textbook import sigmoid_example
from tinygrad_cn.teach.trace import chain, forward_steps, forward_table, reverse_table

# %% [markdown]
# ## 1. 把 f 拆成基本运算
#
# 公式 (5.62)–(5.63)：f(x; w, b) = σ(wx + b) = 1 / (exp(−(wx + b)) + 1)。按计算顺序拆开，
# 每一步只做一个基本运算（图 5.8 中的 h₁ … h₆）：
#
#     h1 = w · x,  h2 = h1 + b,  h3 = −h2,  h4 = exp(h3),  h5 = h4 + 1,  h6 = 1 / h5,  f = h6
#
# `sigmoid_example(x, w, b)`（`tinygrad_cn/teach/textbook.py`，十来行）正是这样搭的，
# `.named("h1")` 给节点起教材里的名字；w、b 是参数（`requires_grad=True`），x 是输入。

# %%
g = sigmoid_example(x=1.0, w=0.0, b=0.0)
for k in ("h1", "h2", "h3", "h4", "h5", "h6", "f"):
    print(f"{k} = {getattr(g, k).item() + 0.0:g}")  # + 0.0：把 −0（h3 = −0）印成 0
agrees("f", g.f.item(), 0.5)

# %% [markdown]
# ## 2. 计算图（图 5.8）
#
# `tg.draw(f)` 画出 f 是怎样算出来的：圆角方框是张量（名字后面是它的值），黄色小椭圆是运算，
# 箭头从输入指向运算、再指向结果。绿色 = 参数（w、b），灰色 = 输入 x 和字面常数，
# 蓝色 = 中间结果（h1 … h6），橙色粗框 = 输出 f。
# h5 = h4 + 1 和 h6 = 1/h5 里的常数 1 画成只写着它的值“1”的小方框：它们不是变量，没有名字、不编号。
# SVG 文件用浏览器打开即可；在 Jupyter 里它直接显示在格子下面。

# %%
save_drawing(tg.draw(g.f, title="图 5.8：f(x; w, b) = σ(wx + b)，x = 1, w = 0, b = 0"), "01_fig5_8")

# %% [markdown]
# ## 3. 链式法则：路径上的局部导数连乘（公式 5.64–5.68）
#
#     ∂f/∂w = ∂f/∂h6 · ∂h6/∂h5 · ∂h5/∂h4 · ∂h4/∂h3 · ∂h3/∂h2 · ∂h2/∂h1 · ∂h1/∂w
#
# 每个局部导数只看一个基本运算（x = 1, w = 0, b = 0）：
#
# | 局部导数 | 规则 | 值 |
# |---|---|---|
# | ∂f/∂h6 | f = h6 | 1 |
# | ∂h6/∂h5 | (1/h5)′ = −1/h5² | −0.25 |
# | ∂h5/∂h4 | (h4 + 1)′ | 1 |
# | ∂h4/∂h3 | (exp h3)′ = exp h3 | 1 |
# | ∂h3/∂h2 | (−h2)′ | −1 |
# | ∂h2/∂h1 | (h1 + b)′ | 1 |
# | ∂h1/∂w | (w·x)′ = x | 1 |
#
# 连乘就是公式 (5.67)、(5.68)。`chain(f, w)` 从记录下来的图上读出每条路径和路径上每个运算自己的求导规则
# 给出的局部导数；这里只有一条路径。有多条路径时，教材说“将这多条路径上的导数再进行相加”。
# `tg.draw(f, highlight=w)` 把这条路径画成红色。

# %%
(path_w,) = chain(g.f, g.w)  # 从 f 到 w 恰好一条路径
print("∂f/∂w = " + " · ".join(f"∂{node}/∂{inp}" for node, inp, _ in path_w))
print("      = " + " × ".join(f"{d:g}" for _, _, d in path_w))
agrees("∂f/∂w（公式 5.68）", np.prod([d for _, _, d in path_w]), 0.25)
save_drawing(tg.draw(g.f, highlight=g.w, title="从 w 到 f 的路径（公式 5.64）"), "01_path_from_w")

# %% [markdown]
# ## 4. 前向模式：顺着计算方向累积（公式 5.69–5.74）
#
# 从 ∂w/∂w = 1 开始，按计算顺序对每个节点 h 算出 ∂h/∂w：这一步的局部导数 × 输入已经算好的 ∂输入/∂w。
# 教材写出了第 1、2、3、6、7 行，中间的省略号（5.72）也在表里。
# 每一步再画一帧：紫色粗框是这一步的节点，每个节点下面是到这一步为止已知的 ∂h/∂w（没算到的写“?”）。

# %%
print(forward_table(g.f, g.w))
save_frames(g.f, "01_frames_forward", mode="forward", wrt=g.w)
agrees("前向模式的最后一行 ∂f/∂w（公式 5.74）", forward_steps(g.f, g.w)[-1].total, 0.25)

# %% [markdown]
# ## 5. 反向模式：逆着计算方向累积（公式 5.75–5.79）
#
# 从 ∂f/∂f = 1（反向扫描的起点）开始，逆着计算顺序对每个节点 h 算出 ∂f/∂h：
# 它的每个消费者（以 h 为输入的节点）已经算好的 ∂f/∂消费者 × 消费者对 h 的局部导数，各条边的贡献相加。
# 一遍扫描同时得到 ∂f/∂w **和** ∂f/∂b——教材说：“反向模式和反向传播的计算梯度的方式相同”。
# 引擎的 `backward()` 就是这一遍扫描，把结果放进 `.grad`；之后再画图，每个节点下面都标着 ∂f/∂·。

# %%
print(reverse_table(g.f))
save_frames(g.f, "01_frames_reverse", mode="reverse")
g.f.backward()
print(f"backward(): w.grad = {g.w.grad.item():g}, b.grad = {g.b.grad.item():g}")
save_drawing(tg.draw(g.f, title="backward() 之后：每个节点的 ∂f/∂·"), "01_after_backward")
agrees("∂f/∂w 与 ∂f/∂b（公式 5.79）", [g.w.grad.item(), g.b.grad.item()], [0.25, 0.25])

# %% [markdown]
# ## 6. 第三种方法：数值微分（公式 5.58、5.59）
#
# 把导数定义里的极限去掉，取一个很小的 Δx：
#
#     前向差分 (5.58)：f′(w) ≈ (f(w + Δx) − f(w)) / Δx
#     中心差分 (5.59)：f′(w) ≈ (f(w + Δx) − f(w − Δx)) / (2Δx)
#
# `tg.numerical_grad` 默认用中心差分、Δx = 10⁻⁶（前向差分默认 Δx = 10⁻⁸）。它只需要能算 f 的值，
# 不需要计算图，所以常用来**检验**自动微分（梯度检验）；代价是每个参数要多算两次 f，而且只是近似。

# %%
def f_of(w, b, x=1.0):
    return sigmoid_example(x, w, b).f


central = tg.numerical_grad(f_of, 0.0, 0.0)                     # 中心差分，公式 5.59
forward = tg.numerical_grad(f_of, 0.0, 0.0, method="forward")   # 前向差分，公式 5.58
for name, (dw, db) in (("中心差分 (5.59)", central), ("前向差分 (5.58)", forward)):
    print(f"{name}: ∂f/∂w = {float(dw):.15f}（偏差 {float(dw) - 0.25:+.1e}），∂f/∂b = {float(db):.15f}")
eps = np.finfo(float).eps
print(f"舍入误差的量级 ε·f/Δx：中心差分 {eps * 0.5 / 1e-6:.0e}，前向差分 {eps * 0.5 / 1e-8:.0e}；"
      f"截断误差：前向 ½σ″(0)Δx = 0，中心 |σ‴(0)|Δx²/6 = {(1 / 8) * 1e-12 / 6:.0e}")
agrees("中心差分的 ∂f/∂w（近似）", central[0], 0.25, tol=1e-9)

# %% [markdown]
# 链式法则、前向模式和反向模式得到的是**精确的** 0.25（每个局部导数都是 ±1、−0.25 这样的二进制能精确表示的数）；
# 差分只是近似。在 z = wx + b = 0 这一点，偏差几乎**全是舍入误差**：两个几乎相等的 f 值相减，
# 丢掉的位数再除以很小的 Δx，量级是 ε·f/Δx（ε 是双精度的机器精度）。截断误差（Δx 不是 0）在这里小得多：
# z = 0 是 σ 的拐点，σ″(0) = 0，前向差分的截断误差 ½σ″Δx 没有了，中心差分的 |σ‴|Δx²/6 比舍入误差小几个数量级
# （上面一格印出了两者的量级）。
# 误差怎样随 Δx 变化、截断误差什么时候占上风，见教程 03。
#
# ## 7. 换一个点：x = 2

# %% [predict] tol=0.01
# 先想一想：x = 2、w = 0、b = 0 时，∂f/∂w 是多少？
g2 = sigmoid_example(x=2.0, w=0.0, b=0.0)
g2.f.backward()
answer = g2.w.grad.item()

# %% [markdown]
# z = wx + b 仍是 0，所以 f 和 σ′(z) 都没变；变的只有路径最下面的局部导数 ∂h1/∂w = x。
# 闭式解：记 σ′(z) = σ(z)(1 − σ(z))（公式 5.81），则 ∂f/∂w = σ′(z) · x，∂f/∂b = σ′(z)。
# 下面这一格：改 **X、W、B** 再运行，表和三种方法都重新算出来，并和只用 NumPy 算的闭式解对照。

# %%
X, W, B = 2.0, 0.0, 0.0  # ← 改这三个数，再运行这一格

ex = sigmoid_example(X, W, B)
print(forward_table(ex.f, ex.w))
num_w, num_b = tg.numerical_grad(lambda w, b: f_of(w, b, X), W, B)
ex.f.backward()
s = 1 / (1 + np.exp(-(W * X + B)))   # 闭式解，只用 NumPy
print(f"∂f/∂w：反向 {ex.w.grad.item():.12f}  中心差分 {float(num_w):.12f}  闭式解 σ′(z)·x = {s * (1 - s) * X:.12f}")
print(f"∂f/∂b：反向 {ex.b.grad.item():.12f}  中心差分 {float(num_b):.12f}  闭式解 σ′(z) = {s * (1 - s):.12f}")
agrees("反向模式与闭式解 (∂f/∂w, ∂f/∂b)", [ex.w.grad.item(), ex.b.grad.item()], [s * (1 - s) * X, s * (1 - s)],
       tol=1e-15, source="与闭式解一致")

# %% [markdown]
# 试试 b = −0.5（z ≠ 0）：表里几乎每个数都会变，三种方法仍然一致。
#
# ## 8. 梯度也是计算图：再求一次导
#
# `f.backward(create_graph=True)` 在反向扫描时**也记录**它做的每一个运算，于是 `w.grad` 是一张新的计算图，
# 由原图的节点（h4、h5、h6、x ……）经过求导规则里的运算算出来。对它再做一次反向扫描得到 ∂²f/∂w²。
# 手推：∂f/∂w = σ′(z)·x，σ″ = σ′(1 − 2σ)，所以 ∂²f/∂w² = σ(z)(1 − σ(z))(1 − 2σ(z)) · x²。
# 教材的点 z = 0 是 σ 的拐点，二阶导数是 0；换 x = 1, w = 2, b = 0（z = 2）看一个不为零的值。

# %%
for x_, w_, b_ in [(1.0, 0.0, 0.0), (1.0, 2.0, 0.0)]:
    e = sigmoid_example(x_, w_, b_)
    e.f.backward(create_graph=True)
    dfdw = e.w.grad.named("dfdw")          # ∂f/∂w 本身是一张计算图
    e.w.grad = None
    dfdw.backward()                        # 对这张图再扫一遍：∂²f/∂w²
    s = 1 / (1 + np.exp(-(w_ * x_ + b_)))
    print(f"(x, w, b) = {(x_, w_, b_)}：∂²f/∂w² = {e.w.grad.item() + 0.0:.15f}，"
          f"闭式解 {s * (1 - s) * (1 - 2 * s) * x_**2 + 0.0:.15f}")
save_drawing(tg.draw(dfdw, title="create_graph=True 记录下来的 ∂f/∂w 的计算图"), "01_grad_graph")
agrees("z = 2 处的 ∂²f/∂w²", e.w.grad.item(), s * (1 - s) * (1 - 2 * s), tol=1e-15, source="与闭式解一致")

# %% [markdown]
# ## 小结
#
# - 一个函数拆成基本运算就是一张计算图（图 5.8）；每个基本运算的导数都有简单的规则。
# - 链式法则：∂f/∂w 是路径上局部导数的乘积（公式 5.64–5.68），多条路径再相加。
# - 前向模式（5.69–5.74）一遍得到所有节点对**一个**输入的导数；反向模式（5.75–5.79）一遍得到**一个**输出
#   对所有节点的导数——训练神经网络要的是后者（教程 02）。
# - 数值微分只需要能算函数值，结果是近似的，用来检验另外两种（教程 03）。
# - 梯度本身也是计算图，可以画出来，也可以再求导。
#
# 存下的文件在 `./out/`（逐格运行时在 `--out` 指定的目录）：`01_fig5_8.svg`、`01_path_from_w.svg`、
# `01_frames_forward/`、`01_frames_reverse/`、`01_after_backward.svg`、`01_grad_graph.svg`。
#
# ## 练习
#
# - ★ 01.1 手算 σ(wx + b) 的梯度
# - ★★ 01.2 反向模式，一行一行（公式 5.75–5.79）
# - ★★★ 01.3 给 σ 写自己的 vjp、jvp 规则，过 check_grad
#
# 列出、开始、检查：
#
#     python -m tinygrad_cn.exercises list --lesson 01
#     python -m tinygrad_cn.exercises start 01.1 --dir 我的练习
#     python -m tinygrad_cn.exercises check 01.1 --dir 我的练习
