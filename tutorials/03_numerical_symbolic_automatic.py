# %% [markdown]
# # 教程 03：数值微分、符号微分与自动微分——三种求导方法，量一量
#
# 对应教材：邱锡鹏《神经网络与深度学习》（NNDL，2020；文献见 [参考文献](../docs/references.md)）§5.4 自动梯度计算（出版版 §4.5）。教材把自动求导的方法分成三类：
#
# - **数值微分**：公式 (5.58) 前向差分、(5.59) 中心差分（出版版 §4.5.1）；
# - **符号微分**：化简的例子 (5.60)–(5.61)，以及它的不足（出版版 §4.5.2）；
# - **自动微分**：图 5.7“符号微分与自动微分对比”，以 σ(wx + b) 为例（图 5.8，公式 5.62–5.68，出版版 §4.5.3）。
#
# 教材对前两类各有一句定性的评价：数值微分“找到一个合适的扰动 Δx 却十分困难……
# 如果 Δx 过小，会引起数值计算问题，比如舍入误差；如果 Δx 过大，会增加截断误差”；
# 符号微分“编译时间较长，特别是对于循环”。这一篇把这两句话**量出来**：
#
# 1. 数值微分：误差随 Δx 变化的 U 形曲线，截断误差与舍入误差各占一边，最好的 Δx 在 √ε 和 ∛ε 附近；
# 2. 符号微分：用 `tinygrad_cn.symbolic` 把记录下来的计算图写成公式、按求导法则求导，
#    看导数表达式怎样随网络层数“膨胀”（expression swell），而计算图只线性增长；
# 3. 自动微分：导数准确到机器精度，代价只是函数本身的常数倍。
#
# 本文件可以直接 `python tutorials/03_numerical_symbolic_automatic.py` 运行，
# 也可以用 `python -m tinygrad_cn.tutorial tutorials/03_numerical_symbolic_automatic.py` 逐格（cell）执行。
# 每一个数字都有 `assert` 检查；画图需要可选的 matplotlib，没有装也能跑完（只是不画图）。

# %%
import math

import numpy as np

import tinygrad_cn as tg
from tinygrad_cn import plotting, symbolic
from tinygrad_cn.teach.lesson import plt
from tinygrad_cn.teach.text import table_row
from tinygrad_cn.teach.textbook import sigmoid_example

np.set_printoptions(precision=4, linewidth=100)
EPS = np.finfo(np.float64).eps  # machine epsilon ε = 2⁻⁵² ≈ 2.2e-16
print(f"机器精度 ε = {EPS:.3e}，√ε = {math.sqrt(EPS):.2e}，∛ε = {EPS ** (1 / 3):.2e}")


# %% [markdown]
# ## 1. 数值微分：Δx 取多大？
#
# 导数的定义 (5.58) 去掉极限，取一个小的 Δx，就是**前向差分**；(5.59) 左右各走一步，就是**中心差分**：
#
#     前向差分  D₊(Δx) = (f(x + Δx) − f(x)) / Δx
#     中心差分  D₀(Δx) = (f(x + Δx) − f(x − Δx)) / (2Δx)
#
# 拿一个导数已知的函数来试：f(x) = sin x，在 x = 1 处 f′(1) = cos 1。先取 Δx = 10⁻⁴：

# %%
f, df = np.sin, np.cos  # f and its exact derivative
x0 = 1.0
exact = df(x0)


def forward_diff(f, x, dx):
    return (f(x + dx) - f(x)) / dx  # eq. 5.58 without the limit


def central_diff(f, x, dx):
    return (f(x + dx) - f(x - dx)) / (2 * dx)  # eq. 5.59 without the limit


for name, D in (("前向差分", forward_diff), ("中心差分", central_diff)):
    approx = D(f, x0, 1e-4)
    print(f"{name}  Δx = 1e-4: {approx:.16f}   误差 {abs(approx - exact):.2e}")
print(f"精确值 cos 1   = {exact:.16f}")
assert abs(forward_diff(f, x0, 1e-4) - exact) > 100 * abs(central_diff(f, x0, 1e-4) - exact)

# %% [markdown]
# 中心差分准得多。为什么？把 f 在 x 处做泰勒展开：
#
#     f(x ± Δx) = f(x) ± f′(x)Δx + f″(x)Δx²/2 ± f‴(x)Δx³/6 + …
#
# 代进去：前向差分 = f′ + f″Δx/2 + …，中心差分 = f′ + f‴Δx²/6 + …（偶数次项左右抵消了）。
# 这就是**截断误差**（把无穷级数截断带来的误差）：前向差分 ∝ Δx，中心差分 ∝ Δx²。
# 照这么说 Δx 越小越好——但计算机里的数只有约 16 位有效数字。下面把 Δx 从 10⁻¹ 一直取到 10⁻¹⁵
# （每十倍取 10 个点），看误差怎样变化：

# %%
dxs = np.logspace(-1, -15, 141)  # Δx = 1e-1 ... 1e-15, 10 points per decade
err_fwd = np.abs(forward_diff(f, x0, dxs) - exact)
err_cen = np.abs(central_diff(f, x0, dxs) - exact)

W = (7, 14, 14)
print(table_row(("Δx", "前向差分误差", "中心差分误差"), W))
for i in range(0, len(dxs), 10):  # one line per decade
    print(table_row((f"{dxs[i]:.0e}", f"{err_fwd[i]:.2e}", f"{err_cen[i]:.2e}"), W))

# %% [markdown]
# 误差先随 Δx 变小而变小，到了某一点反而变大：Δx 太小时，f(x + Δx) 和 f(x) 几乎相等，
# 它们各自带着约 ε·|f(x)| 的**舍入误差**（ε ≈ 2.2×10⁻¹⁶ 是机器精度），相减后有效数字几乎全部抵消，
# 再除以很小的 Δx，误差被放大成约 ε·|f(x)|/Δx。于是总误差大约是
#
#     前向差分  E₊(Δx) ≈ |f″|·Δx/2  + ε|f|/Δx      （截断 ∝ Δx¹，舍入 ∝ Δx⁻¹）
#     中心差分  E₀(Δx) ≈ |f‴|·Δx²/6 + ε|f|/Δx      （截断 ∝ Δx²，舍入 ∝ Δx⁻¹）
#
# 两项相等处误差最小。只看数量级（f 和它的各阶导数都是 1 的量级）：
# 前向差分 Δx ≈ ε/Δx，即 **Δx* ≈ √ε ≈ 1.5×10⁻⁸**，此时误差 ≈ √ε ≈ 10⁻⁸，只剩一半的有效数字；
# 中心差分 Δx² ≈ ε/Δx，即 **Δx* ≈ ∛ε ≈ 6×10⁻⁶**，误差 ≈ ε^(2/3) ≈ 4×10⁻¹¹。
#
# 下面从测得的误差里找最好的 Δx，并在双对数坐标下拟合两侧的斜率。舍入误差像噪声一样上下跳
# （偶尔碰巧抵消得很好，出现一个特别低的点），所以找最低点之前先把 log(误差) 沿 Δx 做一个
# 宽 9 个点（不到一个数量级）的滑动中位数。

# %%
def smooth(err, width=9):
    """Running median of log10(err) over `width` neighbouring Δx (ends padded with the edge value)."""
    logs = np.log10(np.maximum(err, 1e-300))
    half = width // 2
    padded = np.pad(logs, half, mode="edge")
    return 10 ** np.array([np.median(padded[i:i + width]) for i in range(len(err))])


def slope(dx, err):
    """Least-squares slope of log10(err) against log10(Δx) (exact zeros left out)."""
    keep = err > 0
    return float(np.polyfit(np.log10(dx[keep]), np.log10(err[keep]), 1)[0])


results = {}
for name, err, theory in (("前向差分", err_fwd, math.sqrt(EPS)), ("中心差分", err_cen, EPS ** (1 / 3))):
    sm = smooth(err)
    i = int(np.argmin(sm))
    best_dx, best_err = dxs[i], sm[i]
    truncation_side = dxs >= 100 * best_dx  # far right of the minimum: round-off is negligible there
    roundoff_side = dxs <= best_dx / 100  # far left: truncation is negligible there
    results[name] = dict(best_dx=best_dx, best_err=best_err, theory=theory,
                         k_trunc=slope(dxs[truncation_side], err[truncation_side]),
                         k_round=slope(dxs[roundoff_side], err[roundoff_side]))
    r = results[name]
    print(f"{name}: 最好的 Δx ≈ {best_dx:.1e}（理论数量级 {theory:.1e}），最小误差 ≈ {best_err:.1e}；"
          f"截断一侧斜率 {r['k_trunc']:+.3f}，舍入一侧斜率 {r['k_round']:+.2f}")

fwd, cen = results["前向差分"], results["中心差分"]
for r in (fwd, cen):
    assert r["theory"] / 30 < r["best_dx"] < r["theory"] * 30  # best Δx near √ε and ∛ε
    assert -1.5 < r["k_round"] < -0.5  # round-off error ∝ 1/Δx
assert abs(fwd["k_trunc"] - 1) < 0.05  # forward difference: truncation error ∝ Δx
assert abs(cen["k_trunc"] - 2) < 0.05  # central difference: truncation error ∝ Δx²
assert cen["best_err"] < fwd["best_err"] / 100  # the central difference's best is far better
assert fwd["best_err"] > 1e-10  # ... and neither comes near machine precision
assert cen["best_err"] > 1e-13

# %% [markdown]
# 画在双对数坐标上就是一条 U 形曲线（说“V”形更贴切）：右边是截断误差，斜率 1（前向）和 2（中心）；
# 左边是舍入误差，斜率 −1，两种差分在这一侧几乎重合。虚线是上面的误差估计，灰色竖线是 √ε 和 ∛ε。
# 最下面的横线是机器精度 ε——第 3 节的自动微分就在那里。

# %%
if plt is not None:
    L = plotting.label
    fig, ax = plt.subplots(figsize=(7, 5))
    ax.loglog(dxs, np.maximum(err_fwd, 1e-18), ".-", lw=1, ms=3,
              label=L("前向差分 (5.58)", "forward difference (5.58)"))
    ax.loglog(dxs, np.maximum(err_cen, 1e-18), ".-", lw=1, ms=3,
              label=L("中心差分 (5.59)", "central difference (5.59)"))
    ax.loglog(dxs, np.sin(x0) / 2 * dxs, "C0--", lw=0.8,
              label=L("截断误差 |f''|Δx/2（斜率 1）", "truncation |f''|Δx/2 (slope 1)"))
    ax.loglog(dxs, np.cos(x0) / 6 * dxs ** 2, "C1--", lw=0.8,
              label=L("截断误差 |f'''|Δx²/6（斜率 2）", "truncation |f'''|Δx²/6 (slope 2)"))
    ax.loglog(dxs, EPS * np.sin(x0) / dxs, "k--", lw=0.8,
              label=L("舍入误差 ε|f|/Δx（斜率 −1）", "round-off ε|f|/Δx (slope −1)"))
    ax.axhline(EPS, color="C2", lw=1.5, label=L("机器精度 ε：自动微分的误差量级", "machine ε: automatic differentiation"))
    for r, text in ((fwd, r"$\sqrt{\epsilon}$"), (cen, r"$\sqrt[3]{\epsilon}$")):
        ax.axvline(r["theory"], color="gray", lw=0.8, alpha=0.6)
        ax.text(r["theory"], 3e-1, text, ha="center", va="bottom", color="gray")
    ax.set_ylim(1e-17, 10)
    ax.invert_xaxis()  # Δx shrinks to the right, as in "let Δx → 0"
    ax.set_xlabel(L("步长 Δx（向右越来越小）", "step Δx (smaller to the right)"))
    ax.set_ylabel(L("|差分 − cos 1|", "|difference − cos 1|"))
    ax.set_title(L("f(x) = sin x 在 x = 1 处的差分误差", "error of finite differences of sin x at x = 1"))
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.02, 1))
    ax.grid(True, which="major", alpha=0.3)
    plotting.show(fig, "03_finite_difference_error")

# %% [markdown]
# 还有一个代价：n 个输入的函数，前向差分要算 n + 1 次 f，中心差分要算 2n 次。
# 本框架的 `tg.numerical_grad`（默认中心差分，Δx = 10⁻⁶，正是 ∛ε 的量级）和 `tg.check_grad`
# 只把数值微分用来**检验**别的方法算出的梯度，第 3 节会再数一次它的代价。
#
# ## 2. 符号微分：对公式按规则变换
#
# 符号计算的输入和输出都是数学表达式，计算过程就是反复套用事先定义好的规则，直到没有规则可用。
# 教材的化简例子 (5.60)–(5.61)：输入 3x − x + 2x + 1，输出 4x + 1。
#
# `tinygrad_cn.symbolic` 是一个很小的符号计算器：它把框架记录下来的计算图写成一棵表达式树，
# 可以打印（`expression`）、按“展开、合并同类项”的规则化简（`simplify`）、按求导法则求导（`derivative`）、
# 数结点（`size`）、代入数值（`evaluate`）。先用它重做 (5.60)–(5.61)：

# %%
x = tg.Tensor(2.0, requires_grad=True, name="x")
f_560 = 3 * x - x + 2 * x + 1  # recorded as a graph of primitives
print("输入 (5.60):", symbolic.expression(f_560))
print("输出 (5.61):", symbolic.simplify(f_560))
assert symbolic.expression(f_560) == "3*x - x + 2*x + 1"
assert str(symbolic.simplify(f_560)) == "4*x + 1"

# %% [markdown]
# 再看 §5.4 的例子 f(x; w, b) = σ(wx + b)（公式 5.62）。`sigmoid_example` 按图 5.8 用基本运算
# h1 … h6 搭出它；写回公式，就是教材的 (5.63)。对 w 求导，每一步都是一条求导法则，
# 例如 (u/v)′ = (u′v − uv′)/v²、(eᵘ)′ = eᵘ·u′（`symbolic` 只做 0·u = 0、1·u = u 这类局部化简）：

# %%
g = sigmoid_example(x=1.0, w=0.0, b=0.0)
print("f      =", symbolic.expression(g.f))
assert symbolic.expression(g.f) == "1/(exp(-(w*x + b)) + 1)"  # eq. 5.63
df_dw = symbolic.derivative(g.f, g.w)
print("∂f/∂w  =", df_dw)
value = symbolic.evaluate(df_dw, x=1.0, w=0.0, b=0.0)
g.f.backward()
print(f"x = 1, w = 0, b = 0 时：符号导数 = {value}，自动微分 = {g.w.grad.item()}（教材 5.68：0.25）")
assert value == g.w.grad.item() == 0.25  # eq. 5.68

# %% [markdown]
# 注意上面的导数里 exp(−(w*x + b)) 出现了**两次**：符号微分的结果是一棵**树**，同一个子表达式
# 每用到一次就要完整地写一遍。而计算图里 h4 = exp(h3) 只算一次：前向时用它算 h5，反向扫描时
# exp 的求导规则 (eᵘ)′ = eᵘ 直接再用它（`ops.py` 里 exp 的规则就是 `lambda out, a: out`）。
# 这个差别在小例子里无关紧要；函数一深，就成了符号微分的主要毛病——**表达式膨胀**（expression swell）。
#
# 先看一个微积分课上的例子，d/dx [x·sin x] = sin x + x·cos x：

# %%
x = tg.Tensor(1.0, requires_grad=True, name="x")
y = x * tg.sin(x)
d = symbolic.derivative(y, x)
print(f"d/dx [{symbolic.expression(y)}] = {d}")
assert str(d) == "sin(x) + x*cos(x)"
y.backward()
assert abs(symbolic.evaluate(d, x=1.0) - x.grad.item()) < 1e-15

# %% [markdown]
# ### 2.1 表达式膨胀（一）：k 层的网络
#
# 一个 k 层、每层一个神经元的网络 f = σ(w_k·σ(… σ(w_2·σ(w_1·x)) …))（每层权重不同）。
# 它的公式只有 3k + 1 个结点；对第一层权重 w_1 求导，链式法则给出 k 个 σ′ 的连乘（就是公式 5.64 的样子），
# 而 σ′(u) = σ(u)(1 − σ(u)) 把 u——即整个下面几层——写了两遍。k = 3 时：

# %%
def network(k):
    """f = σ(w_k·σ(…σ(w_1·x))): one neuron per layer, a weight per layer."""
    x = tg.Tensor(0.5, name="x")
    ws = [tg.Tensor(0.9, requires_grad=True, name=f"w{i + 1}") for i in range(k)]
    h = x
    for w in ws:
        h = tg.sigmoid(w * h)
    return x, ws, h


_, ws, f3 = network(3)
print("f       =", symbolic.expression(f3))
print("∂f/∂w1  =", symbolic.derivative(f3, ws[0]))

# %% [markdown]
# 现在让 k 变大，数结点：
#
# - **符号微分**：∂f/∂w_1 这棵树的结点数；训练要的是**全部** k 个偏导数，符号微分得一个一个地求，再加起来；
# - **自动微分**：`f.backward(create_graph=True)` 让反向扫描也被记录成计算图，
#   于是可以数出“算出 f 和全部 k 个梯度”一共用了多少个结点（`symbolic.graph_size`，每个值只算一次）。
#
# 每一行都顺便检查：k 个符号导数代入数值，与一遍反向扫描得到的梯度一致。

# %%
KS = [1, 2, 3, 4, 6, 8, 12, 16, 24, 32]
rows = []
W = (3, 7, 8, 18, 9, 18)
print(table_row(("k", "公式 f", "∂f/∂w1", "全部 k 个符号导数", "计算图 f", "计算图 f+全部梯度"), W))
for k in KS:
    _, ws, f_k = network(k)
    derivs = [symbolic.derivative(f_k, w) for w in ws]
    env = symbolic.variables(f_k)
    graph_f = symbolic.graph_size(f_k)
    f_k.backward(create_graph=True)  # record the reverse sweep too
    graph_all = symbolic.graph_size(*[w.grad for w in ws])
    for d, w in zip(derivs, ws):
        assert abs(symbolic.evaluate(d, env) - w.grad.item()) < 1e-15
    rows.append((k, symbolic.size(f_k), symbolic.size(derivs[0]), sum(map(symbolic.size, derivs)),
                 graph_f, graph_all))
    print(table_row(rows[-1], W))

net = {k: r for k, *r in rows}
# the recorded graphs grow linearly: the same number of nodes per layer
assert all(net[k][3] == 3 * k + 1 for k in KS)  # w_i, ×, σ per layer (and x)
per_layer = {(net[b][4] - net[a][4]) / (b - a) for a, b in zip(KS, KS[1:])}
assert len(per_layer) == 1  # f and all gradients: a fixed number of nodes per layer
print(f"计算图：f 每层 3 个结点，连同反向扫描每层 {per_layer.pop():.0f} 个")
# the symbolic derivatives grow faster: ∂f/∂w1 about 4 times larger when k doubles (∝ k²), all k of them ∝ k³
assert net[32][1] / net[16][1] > 3.5 and net[16][1] / net[8][1] > 3.2
assert net[32][2] / net[16][2] > 7 and net[16][2] / net[8][2] > 6
assert net[32][2] > 100 * net[32][4]

# %% [markdown]
# 计算图每层固定 3 个结点（w_i、乘法、σ），连同反向扫描每层 9 个：**线性**增长。
# 单个符号导数 ∂f/∂w_1 约 ∝ k²，k 个加起来约 ∝ k³：k = 32 时是七万多个结点，而计算图不到 300 个。
#
# ### 2.2 表达式膨胀（二）：程序里重复使用的中间结果
#
# 程序可以把一个中间结果存起来用好几次，公式却只能把它抄好几遍。一个常被引用的例子
# （Baydin 等，*Automatic Differentiation in Machine Learning: a Survey*，JMLR 2018）是 logistic 映射
# l₁ = x，l_{n+1} = 4 l_n (1 − l_n)：每一步 l_n 用两次，写成公式每一步长一倍，**函数本身**的公式就指数增长，
# 导数更甚。`size(…, distinct=True)` 数的是**不同的**子表达式个数——如果把相同的子表达式合并成一个
# （公共子表达式消除），树就变回了图。

# %%
def logistic(k):
    x = tg.Tensor(0.3, requires_grad=True, name="x")
    l = x
    for _ in range(k):
        l = 4 * l * (1 - l)
    return x, l


x, l2 = logistic(2)
print("k = 2:  f =", symbolic.expression(l2))
print("       df/dx =", symbolic.derivative(l2, x))

LK = [1, 2, 3, 4, 5, 6, 8, 10, 12, 16, 20]
lrows = []
W = (3, 9, 15, 15, 9, 14)
print()
print(table_row(("k", "公式 f", "符号导数 df/dx", "合并相同子式后", "计算图 f", "计算图 f+梯度"), W))
for k in LK:
    x, l_k = logistic(k)
    d = symbolic.derivative(l_k, x)
    graph_f = symbolic.graph_size(l_k)
    l_k.backward(create_graph=True)
    exact_grad = x.grad.item()
    assert abs(symbolic.evaluate(d, x=0.3) - exact_grad) <= 1e-13 * max(1.0, abs(exact_grad))
    lrows.append((k, symbolic.size(l_k), symbolic.size(d), symbolic.size(d, distinct=True), graph_f,
                  symbolic.graph_size(x.grad)))
    print(table_row(lrows[-1], W))

lm = {k: r for k, *r in lrows}
assert all(lm[k][3] == 5 * k + 1 for k in LK)  # 4, ×, 1, −, × per step (and x)
assert len({(lm[b][4] - lm[a][4]) / (b - a) for a, b in zip(LK, LK[1:])}) == 1  # with the gradient: linear
assert all(lm[b][1] >= 2 ** (b - a) * lm[a][1] for a, b in zip(LK, LK[1:]))  # derivative: ≥ doubles per step
assert lm[20][1] > 10 ** 8 and lm[20][2] <= 8 * 20  # a hundred million nodes; shared: linear

# %% [markdown]
# k = 20 时导数的公式有一亿多个结点（打印出来是几亿个字符），而程序的计算图（连同反向扫描）只有两百来个结点。
# 合并相同子式后只剩约 8k 个——符号微分的膨胀几乎全是**重复**。把重复的子表达式存起来只算一次、
# 同时直接代入数值而不保留公式，这正是自动微分做的事。
#
# 画出来。左图是双对数坐标，直线的斜率就是增长的阶（1、2、3）；右图只有纵轴取对数，直线 = 指数增长：

# %%
if plt is not None:
    L = plotting.label
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(11, 4.2))
    k_net = np.array(KS)
    a1.loglog(k_net, [net[k][2] for k in KS], "o-",
              label=L("符号微分：全部 k 个偏导数（∝ k³）", "symbolic: all k partials (∝ k³)"))
    a1.loglog(k_net, [net[k][1] for k in KS], "s-",
              label=L("符号微分：∂f/∂w1（∝ k²）", "symbolic: ∂f/∂w1 (∝ k²)"))
    a1.loglog(k_net, [net[k][4] for k in KS], "^-",
              label=L("自动微分：f 与全部梯度的计算图（∝ k）", "autodiff: graph of f and all gradients (∝ k)"))
    a1.loglog(k_net, [net[k][3] for k in KS], "v-", label=L("计算图 f（∝ k）", "graph of f (∝ k)"))
    a1.set_title(L(r"k 层网络 $\sigma(w_k\,\sigma(\cdots\sigma(w_1 x)))$（双对数坐标）",
                   r"k-layer net $\sigma(w_k\,\sigma(\cdots\sigma(w_1 x)))$ (log-log)"))
    k_log = np.array(LK)
    a2.semilogy(k_log, [lm[k][1] for k in LK], "o-", label=L("符号微分 df/dx", "symbolic df/dx"))
    a2.semilogy(k_log, [lm[k][0] for k in LK], "s-", label=L("公式 f 本身", "formula of f itself"))
    a2.semilogy(k_log, [lm[k][2] for k in LK], "d--", label=L("合并相同子式后", "common subexpressions shared"))
    a2.semilogy(k_log, [lm[k][4] for k in LK], "^-",
                label=L("自动微分：f 与梯度的计算图", "autodiff: graph of f and gradient"))
    a2.set_title(L(r"logistic 映射 $l_{n+1} = 4\,l_n(1 - l_n)$（纵轴对数坐标）",
                   r"logistic map $l_{n+1} = 4\,l_n(1 - l_n)$ (log y axis)"))
    from matplotlib.ticker import MaxNLocator
    a2.xaxis.set_major_locator(MaxNLocator(integer=True))
    for ax in (a1, a2):
        ax.set_xlabel(L("层数 / 迭代步数 k", "layers / iterations k"))
        ax.set_ylabel(L("结点数", "number of nodes"))
        ax.grid(True, which="major", alpha=0.3)
        ax.legend(fontsize=8)
    fig.suptitle(L("表达式膨胀：符号导数（树）与计算图（共享中间结果）",
                   "expression swell: symbolic derivative (tree) vs recorded graph"))
    fig.tight_layout()
    plotting.show(fig, "03_expression_swell")

# %% [markdown]
# 如果装了 sympy（一个真正的计算机代数系统，可选，不装也没关系），也可以让它来求导，
# 用它的 `count_ops` 数运算个数：同样是指数增长。sympy 只数运算（不数变量和常数），还会自动合并相同的因子，
# 所以数字比上表小，趋势一样。

# %%
try:
    import sympy
except ImportError:
    print("（没有安装 sympy，跳过这一格：pip install sympy）")
else:
    sx = sympy.Symbol("x")
    W = (3, 16, 24)
    print(table_row(("k", "count_ops(f)", "count_ops(diff(f, x))"), W), "  （sympy）")
    for k in range(1, 7):
        x, l_k = logistic(k)
        sf = symbolic.to_sympy(l_k, {"x": sx})
        print(table_row((k, sympy.count_ops(sf), sympy.count_ops(sympy.diff(sf, sx))), W))

# %% [markdown]
# 这就是教材说符号微分“编译时间较长，特别是对于循环”的一个来源：循环（或很深的网络）展开成一个公式，
# 公式和它的导数都会很大。教材提到的 Theano 和 TensorFlow（1.x）所做的“符号微分”，操作的其实也是计算图
# （有向无环图，中间结果共享），求导得到另一张图，再用公共子表达式消除等图优化合并重复——
# 所以它们没有上面这种按树展开的膨胀，和下面的自动微分很接近。
#
# ## 3. 自动微分：精确到机器精度，代价只是常数倍
#
# 图 5.7 把符号微分和自动微分放在一起：符号微分处理的是**数学表达式**，
# 输出导数的表达式；自动微分处理的是**一段程序**（记录下来的计算图），
# 对每个基本运算用同样的求导法则（`ops.py` 里每个基本运算的 vjp/jvp 规则），但直接代入数值、
# 共享中间结果（公式 5.64–5.68）。所以它既没有截断误差（每条规则都是精确的导数公式），
# 也没有数值微分那种“两个几乎相等的数相减、再除以很小的 Δx”的舍入放大：误差与计算 f 本身的舍入误差同一量级。
#
# 先看第 1 节的 sin x，再看一个复合函数 f(x) = x·sin x·eˣ，手推 f′(x) = (sin x + x cos x + x sin x)·eˣ：

# %%
ad = tg.grad(tg.sin)(x0).item()
err_ad = abs(ad - exact)
print(f"sin x 在 x = 1：自动微分 {ad:.16f}，误差 {err_ad:.1e}；"
      f"最好的前向差分 ≈ {fwd['best_err']:.0e}，最好的中心差分 ≈ {cen['best_err']:.0e}")
assert err_ad <= EPS * abs(exact)


def h(x):
    return x * tg.sin(x) * tg.exp(x)


def dh_exact(x):
    return (np.sin(x) + x * np.cos(x) + x * np.sin(x)) * np.exp(x)


W = (5, 18, 28)
print()
print(table_row(("x", "自动微分的相对误差", "中心差分(Δx=1e-6)的相对误差"), W))
worst_ad = worst_fd = 0.0
for xv in (-2.0, -0.5, 0.3, 1.0, 2.5):
    want = dh_exact(xv)
    got_ad = tg.grad(h)(xv).item()
    got_fd = float(tg.numerical_grad(h, xv))  # central difference, Δx = 1e-6 ≈ ∛ε
    rel_ad, rel_fd = abs(got_ad - want) / abs(want), abs(got_fd - want) / abs(want)
    worst_ad, worst_fd = max(worst_ad, rel_ad), max(worst_fd, rel_fd)
    print(table_row((f"{xv:.1f}", f"{rel_ad:.1e}", f"{rel_fd:.1e}"), W))
assert worst_ad < 10 * EPS  # a few ulps: as accurate as evaluating the formula itself
assert worst_fd > 1000 * worst_ad  # finite differences: several digits fewer

# %% [markdown]
# 自动微分的相对误差只有几个 ε（手推公式本身也是用浮点数算的，两者都不是“无限精确”），
# 比中心差分好五六个数量级。
#
# 再看代价。第 2.1 节的表里，“f 与全部梯度”的计算图与 f 本身的计算图之比是一个常数，与层数无关——
# 反向模式求**全部**梯度只比算一次函数多常数倍的工作（第 2 篇教程量过时间）：

# %%
ratios = [net[k][4] / net[k][3] for k in KS]
print("计算图（f 与全部梯度）/ 计算图（f）:", " ".join(f"{r:.2f}" for r in ratios))
assert all(2 < r < 4 for r in ratios) and abs(ratios[-1] - ratios[-2]) < 0.02  # → a constant

# %% [markdown]
# 数值微分则要对每个输入各扰动一次：n 个输入，中心差分要算 2n 次 f
# （`tg.numerical_grad` 先算一次 f(x) 看输出的形状，所以是 2n + 1 次）。数一数函数被调用了几次：

# %%
n_in = 200
xs_data = np.linspace(-1, 1, n_in)
calls = {"n": 0}


def loss(w):
    calls["n"] += 1
    return tg.sigmoid(w * tg.Tensor(xs_data)).sum()


w0 = np.full(n_in, 0.5)
calls["n"] = 0
g_fd = tg.numerical_grad(loss, w0)
fd_calls = calls["n"]
calls["n"] = 0
with tg.count_sweeps() as sweeps:
    g_ad = tg.grad(loss)(w0).numpy()
ad_calls = calls["n"]
print(f"n = {n_in} 个输入：中心差分调用 f {fd_calls} 次；"
      f"自动微分调用 f {ad_calls} 次 + 反向扫描 {sweeps.reverse} 遍")
print(f"两者之差最大 {np.max(np.abs(g_fd - g_ad)):.1e}")
assert fd_calls == 2 * n_in + 1  # f(x) once, then f(x ± Δx·e_j) for every input j
assert (ad_calls, sweeps.reverse, sweeps.forward) == (1, 1, 0)
assert np.max(np.abs(g_fd - g_ad)) < 1e-7  # round-off ≈ ε·|f|/Δx with |f| ≈ 100

# %% [markdown]
# ## 4. 梯度检验：让 `check_grad` 指出写错的那条规则
#
# 数值微分最常见的用途是**检验**。自己定义一个基本运算（`tg.Primitive`）时要写两条规则：
# 反向模式的 vjp 把输出的梯度 g 传回输入（g · f′(a)），前向模式的 jvp 把输入的切向量 t
# 推到输出（f′(a) · t）。下面把 f(a) = a · sin a 定义成一个基本运算，
# 它的导数是 f′(a) = sin a + a cos a。其中**有一条规则是故意写错的**。
#
# **先猜一猜**：错的是规则 A 还是规则 B？`check_grad` 会说反向模式不对，还是前向模式不对？
# 在 y = Σ tanh(f(2x)) 的计算图里，它会指认哪个结点？想好了再运行。

# %%
def a_sin_a(a):
    return a * np.sin(a)


a_sin_a_wrong = tg.Primitive(
    "a_sin_a_wrong", a_sin_a,
    vjp=(lambda g, out, a: g * tg.sin(a),),                       # rule A
    jvp=(lambda t, out, a: t * (tg.sin(a) + a * tg.cos(a)),),     # rule B
)
x_check = np.array([0.3, 1.0, 2.0])
try:
    tg.check_grad(lambda x: tg.tanh(a_sin_a_wrong(x * 2)).sum(), x_check)
except tg.GradientCheckError as err:
    failed = err.report
    print(err)
assert failed.culprit.node == "v2 = a_sin_a_wrong(v1)" and failed.culprit.rules == ("vjp",)
assert len(failed.failures) == 3 and all(m.wrong == ("reverse",) for m in failed.failures)

# %% [markdown]
# 报告把每个对不上的偏导数列成一行，反向、前向、中心差分三列并排：前向模式与中心差分一致，
# 只有反向模式不对，所以错的是 vjp 规则 A——它漏掉了乘积法则的一项 a cos a。
# 最后一行的“culprit”是怎么找到的？`check_grad` 把函数记录成计算图
# （v1 = 2x，v2 = f(v1)，v3 = tanh(v2)，v4 = Σ v3），再**逐个结点**检验：
# 在该结点记录下来的输入处，只对这一个运算做中心差分 (5.59)，和它自己的两条规则比较。
# 乘 2、tanh、求和的规则都对得上，第一个对不上的就是 v2。
#
# 改正规则 A（新运算要起新名字），再检验一次，这回连二阶导数（`order=2`，对规则本身再求导）也一并核对：

# %%
a_sin_a_fixed = tg.Primitive(
    "a_sin_a_fixed", a_sin_a,
    vjp=(lambda g, out, a: g * (tg.sin(a) + a * tg.cos(a)),),
    jvp=(lambda t, out, a: t * (tg.sin(a) + a * tg.cos(a)),),
)
fixed = tg.check_grad(lambda x: tg.tanh(a_sin_a_fixed(x * 2)).sum(), x_check, order=2)
print(fixed)
assert fixed.ok and max(fixed.worst.values()) < 1e-7

# %% [markdown]
# 最后一个陷阱：在没有导数的点上，中心差分量到的是左右斜率的平均。relu 在 0 处左边斜率 0、右边斜率 1，
# 中心差分给 0.5，引擎按约定给 relu′(0) = 0。`check_grad` 在这里多算两侧的单侧斜率（五点差分），
# 引擎的值落在两者之间就不算错，但会发出警告（UserWarning，内容就是整份报告），并说出引擎用的是哪条约定：

# %%
kinked = tg.check_grad(lambda x: tg.relu(x).sum(), np.array([0.0, 1.0]))
at_zero = kinked.at_kinks[0]
print(f"x = 0：反向 {at_zero.values['reverse']:g}，中心差分 {at_zero.central:.3g}，"
      f"左侧斜率 {at_zero.left:.3g}，右侧斜率 {at_zero.right:.3g}")
print(kinked.kinks[0])
assert at_zero.values["reverse"] == 0 and np.isclose(at_zero.central, 0.5) and np.isclose(at_zero.right, 1)
assert kinked.kinks[0].convention == "relu′(0) = 0"

# %% [markdown]
# ## 小结
#
# | | 数值微分 (5.58)、(5.59) | 符号微分 (5.60)–(5.61) | 自动微分（图 5.7、5.8） |
# |---|---|---|---|
# | 处理的对象 | 函数值 | 数学表达式 | 程序（计算图） |
# | 误差 | 截断 + 舍入：最好约 10⁻⁸（前向）、10⁻¹¹（中心） | 精确（得到公式） | 精确到机器精度 ε |
# | 得到全部 n 个偏导的代价 | n + 1 或 2n 次函数求值 | 表达式可能膨胀：k 层网络 ∝ k³，带重复使用的循环指数增长 | 反向模式：函数的常数倍 |
# | 用途 | 检验别的方法（`tg.check_grad`） | 需要公式本身时；符号框架配合图优化 | 训练神经网络 |
#
# 三者并不对立：自动微分的每一条规则就是符号微分的一条求导法则，只是作用在数值上、共享中间结果；
# 数值微分则是检验这些规则写对了没有的最简单办法。
#
# ## 练习
#
# 1. 把第 1 节的 f 换成 eˣ、x = 1，最好的 Δx 和最小误差有什么变化？换成 f(x) = x³ 在 x = 0 呢
#    （f″(0) = 0，前向差分的截断误差变成了几阶）？
# 2. 前向差分里，x + Δx 本身也要舍入，实际走的步长是 (x + Δx) − x 而不是 Δx。
#    把 `forward_diff` 里的分母换成 `(x + dx) - x`，U 形曲线的左半边有什么变化？
# 3. 用 `symbolic.derivative(..., fold=False)` 重做第 2.1 节的表：不做任何局部化简时，结点数多了多少？增长的阶变了吗？
# 4. 第 2.1 节的网络如果所有层**共用**同一个权重 w（像 RHW 图 5 那样把循环网络展开成多层），
#    ∂f/∂w 的符号表达式大约多大？计算图呢？
