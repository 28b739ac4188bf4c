# %% [markdown]
# # 教程 03：数值微分、符号微分与自动微分——三种求导方法，量一量
#
# 教材（邱锡鹏 2020，§5.4，出版版 §4.5；见 [文献](../docs/references.md)）把自动求导的方法分成三类：
# 数值微分（公式 5.58、5.59）、符号微分（5.60、5.61）、自动微分（图 5.7、5.8）。对前两类各有一句评价：
# 数值微分“找到一个合适的扰动 Δx 却十分困难”，符号微分“编译时间较长，特别是对于循环”。
# 这一课把两句话量出来：差分误差随 Δx 的 U 形曲线；符号导数随层数的膨胀；自动微分的误差和代价；
# 最后用梯度检验找出一条写错的求导规则。先读：教程 01。下一课：教程 05。

# %%
import numpy as np

import tinygrad_cn as tg
from tinygrad_cn.teach import symbolic
from tinygrad_cn.teach.checks import agrees
from tinygrad_cn.teach.lesson import plt
from tinygrad_cn.teach.lessons.error_curves import (
    count_nodes,
    error_curve,
    plot_difference_errors,
    plot_expression_swell,
)
from tinygrad_cn.teach.text import table_row
from tinygrad_cn.teach.textbook import sigmoid_example

EPS = np.finfo(np.float64).eps  # 机器精度 ε = 2⁻⁵²
print(f"机器精度 ε = {EPS:.3e}，√ε = {np.sqrt(EPS):.2e}，∛ε = {np.cbrt(EPS):.2e}")

# %% [markdown]
# ## 1. 数值微分：Δx 取多大？
#
#     前向差分 (5.58)  D₊(Δx) = (f(x + Δx) − f(x)) / Δx        中心差分 (5.59)  D₀(Δx) = (f(x + Δx) − f(x − Δx)) / (2Δx)
#
# 拿导数已知的 f(x) = sin x 来试，x = 1 处 f′(1) = cos 1。泰勒展开 f(x ± Δx) = f ± f′Δx + f″Δx²/2 ± f‴Δx³/6 + …
# 代进去：前向差分 = f′ + f″Δx/2 + …，中心差分 = f′ + f‴Δx²/6 + …（偶数次项抵消了）。
# 这是**截断误差**：前向 ∝ Δx，中心 ∝ Δx²。照这么说 Δx 越小越好——但计算机里的数只有约 16 位有效数字。

# %% [predict] choices=更大|更小
# 先想一想：Δx 从 10⁻⁴ 缩小到 10⁻¹²，中心差分算 sin′(1) 的误差会更大还是更小？
x0, exact = 1.0, np.cos(1.0)
central_diff = lambda f, x, dx: (f(x + dx) - f(x - dx)) / (2 * dx)   # 公式 5.59 去掉极限
small, large = (abs(central_diff(np.sin, x0, dx) - exact) for dx in (1e-12, 1e-4))
answer = "更大" if small > large else "更小"

# %% [markdown]
# Δx 太小时，f(x + Δx) 和 f(x − Δx) 几乎相等，各自带着约 ε·|f| 的**舍入误差**，相减后有效数字几乎全部抵消，
# 再除以很小的 Δx，误差被放大成约 ε|f|/Δx。总误差大约是
#
#     前向差分  |f″|Δx/2 + ε|f|/Δx        中心差分  |f‴|Δx²/6 + ε|f|/Δx
#
# 两项相等处最小：前向差分 Δx* ≈ √ε，误差也约 √ε，只剩一半有效数字；中心差分 Δx* ≈ ∛ε，误差约 ε^(2/3)。
# 把 Δx 从 10⁻¹ 取到 10⁻¹⁵（每十倍 10 个点）量一量，在双对数坐标下拟合两侧的斜率，画出来（`tinygrad_cn/teach/lessons/
# error_curves.py`；舍入误差上下乱跳，先取滑动中位数再找最低点）。曲线是 U 形（更像 V 形）：右边截断误差，斜率 1 和 2；
# 左边舍入误差，斜率 −1，两种差分几乎重合。最下面的横线是机器精度 ε——第 3 节的自动微分就在那里。

# %%
dxs = np.logspace(-1, -15, 141)
err_fwd = np.abs((np.sin(x0 + dxs) - np.sin(x0)) / dxs - exact)   # 公式 5.58
err_cen = np.abs(central_diff(np.sin, x0, dxs) - exact)
print(f"Δx = 1e-4 与 1e-12 时中心差分的误差：{large:.1e}、{small:.1e}")
print(table_row(("Δx", "前向差分误差", "中心差分误差"), (7, 14, 14)))
for i in range(0, len(dxs), 20):                                    # 每两个数量级一行
    print(table_row((f"{dxs[i]:.0e}", f"{err_fwd[i]:.2e}", f"{err_cen[i]:.2e}"), (7, 14, 14)))
fwd, cen = error_curve(dxs, err_fwd), error_curve(dxs, err_cen)
for name, r in (("前向差分", fwd), ("中心差分", cen)):
    print(f"{name}：最好的 Δx ≈ {r['best_dx']:.1e}，最小误差 ≈ {r['best_err']:.1e}；"
          f"截断一侧斜率 {r['k_trunc']:+.3f}，舍入一侧斜率 {r['k_round']:+.2f}")
agrees("截断一侧的斜率（前向 1，中心 2）", [fwd["k_trunc"], cen["k_trunc"]], [1.0, 2.0], tol=0.05,
       source="与泰勒展开一致")
if plt is not None:
    plot_difference_errors(plt, dxs, err_fwd, err_cen, x0, "03_finite_difference_error")

# %% [markdown]
# ## 2. 符号微分：对公式按规则变换
#
# 符号计算的输入和输出都是表达式，计算就是反复套用规则。`tinygrad_cn.teach.symbolic` 把记录下来的计算图写成
# 一棵表达式树：`expression` 打印，`simplify` 展开、合并同类项，`derivative` 按求导法则求导，`size` 数节点。
# 先重做教材的 (5.60)–(5.61)，再对 σ(wx + b)（公式 5.63）求 ∂f/∂w：

# %%
x = tg.Tensor(2.0, requires_grad=True, name="x")
f_560 = 3 * x - x + 2 * x + 1                           # 记录成基本运算的计算图
print("输入 (5.60):", symbolic.expression(f_560), "   输出 (5.61):", symbolic.simplify(f_560))
g = sigmoid_example(x=1.0, w=0.0, b=0.0)
df_dw = symbolic.derivative(g.f, g.w)
print("f =", symbolic.expression(g.f), "   ∂f/∂w =", df_dw)
print("在 x = 1, w = 0, b = 0 处（公式 5.68）:", symbolic.evaluate(df_dw, x=1.0, w=0.0, b=0.0))

# %% [markdown]
# 导数里 exp(−(w*x + b)) 出现了**两次**：符号微分的结果是一棵**树**，同一个子表达式每用一次就抄一遍；计算图里
# h4 = exp(h3) 只算一次，(eᵘ)′ = eᵘ 直接再用它。函数一深，这就成了**表达式膨胀**（expression swell）。k 层、每层一个
# 神经元的网络 f = σ(w_k·σ(… σ(w_1·x) …))：公式只有 3k + 1 个节点，而 ∂f/∂w_1 是 k 个 σ′ 的连乘，σ′(u) = σ(u)(1 − σ(u))
# 又把 u（下面的所有层）写两遍。`count_nodes` 数符号导数（∂f/∂w_1、全部 k 个）的节点，和自动微分“算出 f 与全部梯度”
# 的计算图的节点（`backward(create_graph=True)` 把反向扫描也记录成图，每个值只算一次）。

# %%
def network(k):
    h, ws = tg.Tensor(0.5, name="x"), [tg.Tensor(0.9, requires_grad=True, name=f"w{i + 1}") for i in range(k)]
    for w in ws:
        h = tg.sigmoid(w * h)
    return h, ws


KS, COLS = [1, 2, 4, 8, 16, 32], (3, 7, 8, 18, 9, 18)
net = {k: count_nodes(*network(k)) for k in KS}   # 符号求导、数节点；再 backward(create_graph=True)
print(table_row(("k", "公式 f", "∂f/∂w1", "全部 k 个符号导数", "计算图 f", "计算图 f+全部梯度"), COLS))
for k in KS:
    print(table_row([k] + [net[k][c] for c in ("formula", "first", "all", "graph", "with_grads")], COLS))

# %% [markdown]
# 计算图每层固定 3 个节点（w_i、乘法、σ），连同反向扫描每层 7 个：**线性**增长。单个符号导数约 ∝ k²，
# k 个加起来约 ∝ k³：k = 32 时是七万多个节点，而计算图不到 300 个。
#
# 程序还可以把一个中间结果存起来用好几次，公式却只能抄好几遍。Baydin 等（JMLR 2018）的例子：logistic 映射
# l₁ = x，l_{n+1} = 4 l_n (1 − l_n)，每一步 l_n 用两次，公式每一步长一倍。`size(…, distinct=True)` 数**不同的**
# 子表达式——把相同的合并成一个（公共子表达式消除），树就变回了图。

# %%
def logistic(k):
    x = l = tg.Tensor(0.3, requires_grad=True, name="x")
    for _ in range(k):
        l = 4 * l * (1 - l)
    return l, [x]


LK, COLS = [1, 2, 4, 8, 12, 16, 20], (3, 9, 15, 15, 9, 14)
lm = {k: count_nodes(*logistic(k)) for k in LK}
print(table_row(("k", "公式 f", "符号导数 df/dx", "合并相同子式后", "计算图 f", "计算图 f+梯度"), COLS))
for k in LK:
    print(table_row([k] + [lm[k][c] for c in ("formula", "first", "distinct", "graph", "with_grads")], COLS))
agrees("k = 20 时符号导数超过一亿个节点，计算图（连同梯度）不到 250 个",
       lm[20]["first"] > 10**8 > 250 > lm[20]["with_grads"], True, source="与表一致")
if plt is not None:
    plot_expression_swell(plt, net, lm, "03_expression_swell")

# %% [markdown]
# k = 20 时导数的公式有一亿多个节点，而程序的计算图（连同反向扫描）只有两百来个。合并相同子式后只剩约 8k 个——
# 膨胀几乎全是**重复**。把重复的子表达式存起来只算一次、直接代入数值，正是自动微分做的事。
# 教材提到的 Theano、TensorFlow 1.x 的“符号微分”操作的其实也是计算图（中间结果共享），所以没有这种按树展开的膨胀。
#
# ## 3. 自动微分：精确到机器精度，代价只是常数倍
#
# 自动微分处理的是**程序**（记录下来的计算图），每个基本运算用一条精确的求导法则，直接代入数值、共享中间结果。
# 所以没有截断误差，也没有“两个几乎相等的数相减再除以很小的 Δx”：误差与算 f 本身的舍入同一量级。
# 试 f(x) = x·sin x·eˣ，手推 f′(x) = (sin x + x cos x + x sin x)·eˣ：

# %%
h = lambda x: x * tg.sin(x) * tg.exp(x)
print(table_row(("x", "自动微分的相对误差", "中心差分的相对误差"), (5, 18, 18)))
worst = {"自动微分": 0.0, "中心差分": 0.0}
for xv in (-2.0, -0.5, 0.3, 1.0, 2.5):
    want = (np.sin(xv) + xv * np.cos(xv) + xv * np.sin(xv)) * np.exp(xv)
    rel = {"自动微分": abs(tg.grad(h)(xv).item() - want) / abs(want),
           "中心差分": abs(float(tg.numerical_grad(h, xv)) - want) / abs(want)}
    worst = {k: max(worst[k], rel[k]) for k in worst}
    print(table_row((f"{xv:.1f}", f"{rel['自动微分']:.1e}", f"{rel['中心差分']:.1e}"), (5, 18, 18)))
agrees("自动微分的最大相对误差在 10ε 以内", worst["自动微分"] < 10 * EPS, True, source="与机器精度一致")

# %% [markdown]
# 代价：上面 k 层网络的表里，“f 与全部梯度”的计算图和 f 本身的计算图之比趋于 7/3，与层数无关——
# 反向模式求**全部**梯度只比算一次函数多常数倍的工作（教程 02 量过时间）。数值微分则要对每个输入各扰动一次：
# n 个输入，`tg.numerical_grad`（中心差分，Δx = 10⁻⁶，正是 ∛ε 的量级）调用 f 2n + 1 次（先算一次 f(x) 看输出的形状），
# 所以它只用来**检验**别的方法（第 4 节）。

# %%
print("计算图（f 与全部梯度）/ 计算图（f）:", " ".join(f"{net[k]['with_grads'] / net[k]['graph']:.2f}" for k in KS))
xs_data, calls = np.linspace(-1, 1, 200), []


def loss(w):
    calls.append(1)
    return tg.sigmoid(w * tg.Tensor(xs_data)).sum()


g_fd = tg.numerical_grad(loss, np.full(200, 0.5))
fd_calls = len(calls)
with tg.count_sweeps() as sweeps:
    g_ad = tg.grad(loss)(np.full(200, 0.5)).numpy()
print(f"n = 200 个输入：中心差分调用 f {fd_calls} 次；自动微分调用 f {len(calls) - fd_calls} 次 + 反向扫描 {sweeps.reverse} 遍")
print(f"两种梯度最多差 {np.abs(g_fd - g_ad).max():.1e}（舍入约 ε|f|/Δx，|f| ≈ 100，Δx = 10⁻⁶）")

# %% [markdown]
# ## 4. 梯度检验：让 `check_grad` 指出写错的那条规则
#
# 自己定义一个基本运算（`tg.Primitive`）要写两条规则：vjp 把输出的梯度 g 传回输入（g · f′(a)），
# jvp 把输入的切向量 t 推到输出（f′(a) · t）。下面把 f(a) = a · sin a 定义成一个基本运算，
# f′(a) = sin a + a cos a，其中**有一条规则故意写错了**。

# %% [predict] choices=规则A|规则B
# 先想一想：错的是规则 A（vjp）还是规则 B（jvp）？
a_sin_a = lambda a: a * np.sin(a)
a_sin_a_wrong = tg.Primitive(
    "a_sin_a_wrong", a_sin_a,
    vjp=(lambda g, out, a: g * tg.sin(a),),                       # 规则 A
    jvp=(lambda t, out, a: t * (tg.sin(a) + a * tg.cos(a)),),     # 规则 B
)
try:
    tg.check_grad(lambda x: tg.tanh(a_sin_a_wrong(x * 2)).sum(), np.array([0.3, 1.0, 2.0]))
except tg.GradientCheckError as err:
    failed = err.report
answer = {("vjp",): "规则A", ("jvp",): "规则B"}[failed.culprit.rules]

# %% [markdown]
# 报告把每个对不上的偏导数列成一行，反向、前向、中心差分三列并排：前向与中心差分一致，只有反向不对，
# 所以错的是 vjp 规则 A——它漏掉了乘积法则的一项 a cos a。“culprit”一行怎么来的？`check_grad` 把函数记录成计算图
# （v1 = 2x，v2 = f(v1)，v3 = tanh(v2)，v4 = Σ v3），再**逐个节点**检验：在该节点记录下来的输入处，只对这一个运算
# 做中心差分 (5.59)，和它自己的两条规则比较。改正规则 A（新运算要起新名字），连二阶导数（`order=2`）也一起核对。
#
# 最后一个陷阱：在没有导数的点上，中心差分量到的是左右斜率的平均。relu 在 0 处左斜率 0、右斜率 1，中心差分给 0.5，
# 引擎按约定给 relu′(0) = 0。`check_grad` 在这里多算两侧的单侧斜率，引擎的值落在两者之间就不算错，
# 但会发出警告，并说出引擎用的是哪条约定：

# %%
print(failed)
da = lambda a: tg.sin(a) + a * tg.cos(a)                          # f′(a)：乘积法则的两项
a_sin_a_fixed = tg.Primitive("a_sin_a_fixed", a_sin_a, vjp=(lambda g, out, a: g * da(a),),
                             jvp=(lambda t, out, a: t * da(a),))
fixed = tg.check_grad(lambda x: tg.tanh(a_sin_a_fixed(x * 2)).sum(), np.array([0.3, 1.0, 2.0]), order=2)
agrees("改正后的 check_grad 通过", fixed.ok, True, source="梯度检验")
kinked = tg.check_grad(lambda x: tg.relu(x).sum(), np.array([0.0, 1.0]))
at_zero = kinked.at_kinks[0]
print(f"x = 0：反向 {at_zero.values['reverse']:g}，中心差分 {at_zero.central:.3g}，"
      f"左侧斜率 {at_zero.left:.3g}，右侧斜率 {at_zero.right:.3g}；约定 {kinked.kinks[0].convention}")

# %% [markdown]
# ## 小结
#
# | | 数值微分 (5.58)、(5.59) | 符号微分 (5.60)、(5.61) | 自动微分（图 5.7、5.8） |
# |---|---|---|---|
# | 处理的对象 | 函数值 | 数学表达式 | 程序（计算图） |
# | 误差 | 截断 + 舍入：最好约 √ε（前向）、ε^(2/3)（中心） | 精确（得到公式） | 机器精度 ε 的量级 |
# | 全部 n 个偏导的代价 | n + 1 或 2n 次函数求值 | 表达式会膨胀：k 层网络 ∝ k³，带重复使用的循环指数增长 | 反向模式：函数的常数倍 |
# | 用途 | 检验别的方法（`tg.check_grad`） | 需要公式本身时 | 训练神经网络 |
#
# 三者并不对立：自动微分的每条规则就是符号微分的一条求导法则，只是作用在数值上、共享中间结果；
# 数值微分是检验这些规则写对了没有的最简单办法。
#
# ## 练习
#
# - ★ 03.1 中心差分 (5.59)
# - ★★ 03.2 a·sin a 的 vjp、jvp 规则，过 check_grad
# - ★★ 03.3 中心差分的最佳步长
#
# 列出、开始、检查：
#
#     python -m tinygrad_cn.exercises list --lesson 03
#     python -m tinygrad_cn.exercises start 03.1 --dir 我的练习
#     python -m tinygrad_cn.exercises check 03.1 --dir 我的练习
