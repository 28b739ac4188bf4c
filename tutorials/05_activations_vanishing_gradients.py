# %% [markdown]
# # 教程 05：激活函数、梯度消失与 Xavier 初始化
#
# 对应教材：邱锡鹏《神经网络与深度学习》（NNDL，2020；文献见 [参考文献](../docs/references.md)）
#
# - §5.1.2 激活函数（出版版 §4.1）：logistic (5.4)、tanh (5.5, 5.6)、hard-logistic (5.7–5.11)、
#   hard-tanh (5.12–5.15)、ReLU (5.16, 5.17)、带泄露的 ReLU (5.18, 5.19)、softplus (5.22)，
#   表 5.1“常见激活函数及其导数”和图 5.2–5.4；另加教材没有列出的 ELU 和 Swish；
# - §5.5 梯度消失问题（出版版 §4.6）：误差项的递推 (5.80) 与导数的值域 (5.81)、(5.82)；
# - §5.7.4 参数初始化（出版版 §7.3）：Gaussian 初始化与 Xavier 初始化 (5.90)–(5.101)。
#
# 这一篇做三件事：
#
# 1. 画出九个激活函数和它们的导数。导数**不是**照公式手写的，而是由引擎的反向模式算出来的
#    （`tg.grad`），再拿表 5.1 的公式和几个精确值去核对：σ′(0) = 1/4 且是 σ′ 的最大值 (5.81)，
#    tanh′(0) = 1 (5.82)，ReLU 在 0 处取 relu′(0) = 0，hard-logistic 中间一段斜率 1/4 (5.11)……
# 2. 用教程 04 的递推式说明为什么误差每往回传一层就要乘一次 f′，logistic 的 f′ ≤ 1/4 意味着什么；
# 3. 量一个 10 层网络在**初始化时**每一层的梯度大小：logistic、tanh、ReLU 三种激活函数，
#    教材的 Gaussian 初始化 N(0, 0.01) 对比 Xavier / He 初始化，列表、画对数坐标图，并断言定性的结论。
#    顺带解释本框架的 Xavier 为什么给 logistic 乘 4——教材草稿 (5.90)、(5.91) 两式的标注写反了。
#
# 本文件可以直接 `python tutorials/05_activations_vanishing_gradients.py` 运行（完整实验，30 个随机种子），
# 也可以用 `python -m tinygrad_cn.tutorial tutorials/05_activations_vanishing_gradients.py` 逐格（cell）执行。
# 环境变量 `TINYGRAD_CN_QUICK=1` 时（测试里就是这样）只用 3 个种子。每一个数字都有 `assert` 检查；
# 画图需要可选的 matplotlib，没有装也能跑完（只是不画图）。

# %%
import time

import numpy as np

import tinygrad_cn as tg
from tinygrad_cn import functional as F
from tinygrad_cn import init, nn, plotting
from tinygrad_cn.teach.lesson import QUICK, plt
from tinygrad_cn.teach.text import table_row

np.set_printoptions(precision=4, linewidth=100)


# %% [markdown]
# ## 1. 九个激活函数，导数由引擎来算
#
# 每个激活函数都由引擎的基本运算组合而成（`tinygrad_cn.functional`，例如 hard-logistic 用 `where` 把
# 0.25x + 0.5 截到 [0, 1]，ELU 用 `where` 和 `exp`）。它们本身没有手写的导数公式，导数全部来自基本运算的 vjp 规则。
#
# 怎样一次得到一整条导数曲线？激活函数是**逐元素**的：y_j = f(x_j) 只依赖 x_j，雅可比矩阵是对角阵。
# 所以对 S = Σ_j f(x_j) 求梯度，∂S/∂x_i = f′(x_i)——一遍反向扫描就得到网格上每一点的导数：
# `tg.grad(lambda x: f(x).sum())(xs)`。
#
# 网格取 x = −5, −4.99, …, 5（写成整数除以 100，这样 0、±1、±2 都是精确的网格点，正好落在拐点上）。
# 带泄露的 ReLU 用教材建议的 λ = 0.01（公式 5.18）；ELU 取 α = 1，Swish 取 β = 1。

# %%
xs = np.arange(-500, 501) / 100.0
at = {v: int(np.flatnonzero(xs == v)[0]) for v in (-5.0, -2.0, -1.0, 0.0, 1.0, 2.0, 5.0)}
LEAK = 0.01

ACTS = {  # name: function composed of engine ops
    "logistic": F.logistic,
    "tanh": F.tanh,
    "hard-logistic": F.hard_logistic,
    "hard-tanh": F.hard_tanh,
    "ReLU": F.relu,
    "leaky ReLU": lambda x: F.leaky_relu(x, LEAK),
    "ELU": F.elu,
    "softplus": F.softplus,
    "Swish": F.swish,
}


def value_and_derivative(f, x):
    """f(x) on the grid, and f'(x) from one reverse sweep of Σ_j f(x_j) (f is elementwise)."""
    value = f(tg.Tensor(x)).numpy()
    slope = tg.grad(lambda t: f(t).sum())(x).numpy()
    return value, slope


val, der = {}, {}
for name, f in ACTS.items():
    val[name], der[name] = value_and_derivative(f, xs)

print(table_row(["f′(x)"] + [f"x = {v:g}" for v in (-5, -2, -1, 0, 1, 2, 5)], (14,) + (10,) * 7))
for name in ACTS:
    print(table_row([name] + [f"{der[name][at[v]]:.4g}" for v in (-5.0, -2.0, -1.0, 0.0, 1.0, 2.0, 5.0)],
                    (14,) + (10,) * 7))

# %% [markdown]
# ### 核对：表 5.1 的导数公式和几个精确值
#
# 表 5.1 给出的导数都可以用函数值本身表示：logistic 的 f′ = f(1 − f)，tanh 的 f′ = 1 − f²，
# softplus 的导数恰好是 logistic 函数。下面用 NumPy 独立地算出 f（不经过引擎），代进这些公式，
# 和引擎的导数逐点比较。另外几条：
#
# - (5.81)：σ′(x) ∈ [0, 0.25]，最大值 0.25 在 x = 0 处取到——在网格上**精确**等于 0.25；
# - (5.82)：tanh′(x) ∈ [0, 1]，tanh′(0) = 1；(5.6) tanh(x) = 2σ(2x) − 1；
# - ReLU 在 0 处不可导，本框架约定 relu′(0) = 0（见 README）；x > 0 时导数为 1，x < 0 时为 0（左饱和）；
# - (5.8)、(5.11)：hard-logistic 是 σ 在 0 处的一阶泰勒展开 0.25x + 0.5 截到 [0, 1]，所以中间一段 |x| < 2 的斜率
#   正是 σ′(0) = 0.25，两端为 0；hard-tanh 中间一段 |x| < 1 的斜率是 tanh′(0) = 1（拐点处约定取 0）；
# - (5.18)：带泄露的 ReLU 在 x ≤ 0 时斜率 λ = 0.01；
# - ELU：x ≤ 0 时 f′ = eˣ（α = 1），在 0 处左右导数都是 1；Swish：f = xσ(x)，f′ = σ + xσ(1 − σ)，f′(0) = 1/2。

# %%
sig = 1.0 / (1.0 + np.exp(-xs))  # NumPy, independent of the engine
th = np.tanh(xs)
pos, neg = xs > 0, xs < 0
i0 = at[0.0]

# table 5.1
assert np.abs(der["logistic"] - sig * (1 - sig)).max() < 1e-15
assert np.abs(der["tanh"] - (1 - th**2)).max() < 1e-15
assert np.abs(der["softplus"] - sig).max() < 1e-15
# (5.81), (5.82), (5.6)
assert der["logistic"][i0] == 0.25 and der["logistic"].max() == 0.25
assert np.argmax(der["logistic"]) == i0 and der["logistic"].min() >= 0
assert der["tanh"][i0] == 1.0 and der["tanh"].max() == 1.0 and der["tanh"].min() >= 0
assert np.abs(val["tanh"] - (2 * (1 / (1 + np.exp(-2 * xs))) - 1)).max() < 1e-15
# ReLU and leaky ReLU (5.16-5.19)
assert der["ReLU"][i0] == 0.0
assert np.all(der["ReLU"][pos] == 1) and np.all(der["ReLU"][neg] == 0)
assert np.all(der["leaky ReLU"][pos] == 1) and np.all(der["leaky ReLU"][~pos] == LEAK)
# hard-logistic (5.11) and hard-tanh (5.15): the slope at 0 of the function they approximate
inner2, inner1 = np.abs(xs) < 2, np.abs(xs) < 1
assert der["logistic"][i0] == 0.25 and np.all(der["hard-logistic"][inner2] == der["logistic"][i0])
assert np.all(der["hard-logistic"][~inner2] == 0)
assert (val["hard-logistic"][at[-2.0]], val["hard-logistic"][i0], val["hard-logistic"][at[2.0]]) == (0, 0.5, 1)
assert np.all(der["hard-tanh"][inner1] == der["tanh"][i0]) and np.all(der["hard-tanh"][~inner1] == 0)
# ELU and Swish
assert np.all(der["ELU"][pos] == 1) and np.abs(der["ELU"][~pos] - np.exp(xs[~pos])).max() < 1e-15
assert der["Swish"][i0] == 0.5
assert np.abs(der["Swish"] - (sig + xs * sig * (1 - sig))).max() < 1e-15
# saturation (the book's note on 饱和): f' → 0 at both ends for σ and tanh
assert der["logistic"][at[5.0]] < 0.007 and der["logistic"][at[-5.0]] < 0.007
assert der["tanh"][at[5.0]] < 2e-4 and der["tanh"][at[-5.0]] < 2e-4
print("表 5.1 的导数公式、(5.6)、(5.81)、(5.82)、(5.11) 以及各拐点的约定：全部核对通过。")

# %% [markdown]
# 画出来，对照教材的图 5.2（logistic、tanh）、图 5.3（hard-logistic、hard-tanh 与原函数）、
# 图 5.4（ReLU 一族与 softplus）。右边一列是引擎算出的导数。带泄露的 ReLU 用 λ = 0.01 时
# 负半轴几乎贴着横轴，图上改用 λ = 0.1 以便看清（上面的断言用的是 0.01）。

# %%
if plt is not None:
    L = plotting.label
    ylab = (L("函数值 f(x)", "f(x)"), L("导数 f′(x)（引擎的反向模式）", "f′(x) (engine, reverse mode)"))
    _, leaky_plot = value_and_derivative(lambda x: F.leaky_relu(x, 0.1), xs)
    leaky_val = F.leaky_relu(tg.Tensor(xs), 0.1).numpy()
    groups = [
        (L("Sigmoid 型函数（图 5.2）", "sigmoid-type functions (fig. 5.2)"),
         [("logistic", "C0", "-"), ("tanh", "C1", "-")]),
        (L("分段线性近似（图 5.3），点线为原函数", "piecewise-linear approximations (fig. 5.3), dotted: originals"),
         [("hard-logistic", "C0", "-"), ("hard-tanh", "C1", "-"), ("logistic", "C0", ":"), ("tanh", "C1", ":")]),
        (L("ReLU 一族与 softplus（图 5.4）", "ReLU family and softplus (fig. 5.4)"),
         [("ReLU", "C0", "-"), ("leaky ReLU", "C1", "-"), ("ELU", "C2", "-"), ("softplus", "C3", "-"),
          ("Swish", "C4", "-")]),
    ]
    fig, axes = plt.subplots(3, 2, figsize=(11, 11))
    for row, (title, curves) in enumerate(groups):
        for name, colour, style in curves:
            v, d = val[name], der[name]
            label = name
            if name == "leaky ReLU":
                v, d, label = leaky_val, leaky_plot, "leaky ReLU (λ = 0.1)"
            lw = 1.0 if style == ":" else 1.8
            alpha = 1.0
            if name == "ReLU":          # drawn wide underneath: leaky ReLU and ELU coincide with it for x > 0
                lw, alpha = 5.0, 0.35
            axes[row, 0].plot(xs, v, style, color=colour, lw=lw, alpha=alpha, label=label)
            axes[row, 1].plot(xs, d, style, color=colour, lw=lw, alpha=alpha, label=label)
        for col in (0, 1):
            ax = axes[row, col]
            ax.axhline(0, color="gray", lw=0.6)
            ax.axvline(0, color="gray", lw=0.6)
            ax.set_ylabel(ylab[col])
            ax.grid(True, alpha=0.3)
            ax.legend(fontsize=8, loc="upper left")
        axes[row, 0].set_title(title, fontsize=10)
        axes[row, 1].set_title(L("导数", "derivatives"), fontsize=10)
    axes[0, 1].axhline(0.25, color="C0", lw=0.6, ls="--")
    axes[0, 1].text(-4.8, 0.27, L("σ′ 的最大值 0.25 (5.81)", "max σ′ = 0.25 (5.81)"), color="C0", fontsize=8)
    axes[2, 0].set_ylim(-1.5, 5)
    for ax in axes[2]:
        ax.set_xlabel("x")
    fig.tight_layout()
    plotting.show(fig, "05_activations")

# %% [markdown]
# ## 2. 为什么 f′ 决定梯度能不能传回去
#
# 教程 04 手写过误差项的递推，教材在 §5.5 把它重写了一遍：
#
#     δ⁽ˡ⁾ = f′_l(z⁽ˡ⁾) ⊙ ((W⁽ˡ⁺¹⁾)ᵀ δ⁽ˡ⁺¹⁾)        (5.80)
#
# 误差从输出层往回传，每经过一层就乘一次该层激活函数的导数。logistic 函数的导数
# σ′ ∈ [0, 0.25]（5.81），tanh′ ∈ [0, 1]（5.82）——都小于 1，到了饱和区更接近 0。
# 如果各层的权重也不足以把信号放大回来，误差就一层层衰减：这就是**梯度消失问题**（vanishing gradient problem）。
#
# 粗略估计一下：设每层宽 n，权重独立、均值 0、方差 s²。δ⁽ˡ⁺¹⁾ 经过 (W⁽ˡ⁺¹⁾)ᵀ 后，每个分量 Σ_i W_ij δ_i 的方差是 s²‖δ‖²，
# 一共 n 个分量，所以长度大约乘 √n · s；再逐元素乘 f′。对 logistic，输入在 0 附近时 f′ ≈ σ′(0) = 1/4，所以每层大约乘
#
#     ρ = √n · s · 1/4,
#
# 往回传 k 层就是 ρᵏ。教材 §5.7.4 的 Gaussian 初始化例子取 s² = 0.01（s = 0.1），宽 n = 64 时
# ρ = 8 × 0.1 / 4 = 0.2：往回传 9 层，误差缩小到 0.2⁹ ≈ 5 × 10⁻⁷。第 4 节来量一量。
#
# ## 3. Xavier 初始化与"乘 4"
#
# 要让信号不衰减也不放大，就要让每层的 √n · s · f′ 接近 1。教材 §5.7.4 的推导（5.92–5.99）假设神经元工作在
# 激活函数的**线性区间**，a = f(z) ≈ z，于是前向时方差乘 n_{l−1} Var(w)，反向时乘 n_l Var(w)；折中取
#
#     Var(w) = 2 / (n_{l−1} + n_l)   (5.99)，   均匀分布 U[−r, r] 的方差是 r²/3 (5.100)，所以 r = √(6 / (n_{l−1} + n_l))  (5.101)。
#
# "a ≈ z"对 tanh 成立：tanh′(0) = 1。对 logistic 却不成立：σ(z) ≈ 1/2 + z/4（公式 5.8），
# 斜率只有 σ′(0) = 1/4，信号每过一层就被压缩 4 倍，所以权重要放大 4 倍才能抵消：logistic 用 r = 4√(6/(n_{l−1} + n_l))。
#
# **教材草稿的标注写反了**：NNDL 草稿的 (5.90) 写"对于 logistic 函数，r = √(6/(n^{l−1} + n^l))"，
# (5.91) 写"对于 tanh 函数，r = 4√(6/(n^{l−1} + n^l))"。Glorot & Bengio (2010) 之后的通行做法
# （例如 Bengio 2012 年的《实用建议》）、出版版和本框架都把 4 放在 logistic 上
# （`tinygrad_cn/init.py` 的模块说明里写明了这一点；草稿的 (5.90)、(5.101) 还把 n^l 印成了 n¹）。
# 这个 4 不需要背：它就是 1/f′(0)。用引擎算出两个激活函数在 0 处的导数，就得到 `init.XAVIER_GAIN` 里的增益：

# %%
for act, f in (("logistic", F.logistic), ("tanh", F.tanh)):
    slope0 = tg.grad(f)(0.0).item()
    print(f"{act:>8}: f′(0) = {slope0}，增益 1/f′(0) = {1 / slope0}，init.XAVIER_GAIN = {init.XAVIER_GAIN[act]}")
    assert 1 / slope0 == init.XAVIER_GAIN[act]
assert init.XAVIER_GAIN["logistic"] == 4.0 and init.XAVIER_GAIN["tanh"] == 1.0

# the drawn weights: uniform on [-r, r] with variance r²/3 (5.100, 5.101)
n_prev, n_l = 64, 64
r = 4 * np.sqrt(6 / (n_prev + n_l))
w = init.xavier_uniform((n_l, n_prev), activation="logistic", rng=0)
print(f"logistic，64 → 64：r = 4√(6/128) = {r:.4f}，抽到的 max|w| = {np.abs(w).max():.4f}，"
      f"方差 {w.var():.4f}（r²/3 = {r * r / 3:.4f}）")
assert np.abs(w).max() <= r and np.abs(w).max() > 0.99 * r
assert abs(w.var() / (r * r / 3) - 1) < 0.05   # 4096 draws: the sample variance is within a few %

# %% [markdown]
# ## 4. 实验：10 层网络在初始化时每一层的梯度
#
# 网络：L = 10 层，前 9 层是宽 64 的隐藏层（激活函数 logistic、tanh 或 ReLU），第 10 层输出 10 个类别的 logits，
# 损失是 softmax 交叉熵；一批 N = 128 个样本，输入 x ~ N(0, I)，类别随机。不训练，只在初始化处做一遍 `backward()`。
#
# 每层量两个数：
#
# - 误差项的大小 ‖δ⁽ˡ⁾‖：每个样本的 δ_i⁽ˡ⁾ = ∂L_i/∂z_i⁽ˡ⁾（教程 04：N × `z.grad` 的第 i 行）的长度，对样本取均方根；
# - 权重梯度的大小 ‖∂R/∂W⁽ˡ⁾‖_F（Frobenius 范数），R 是这一批的平均损失——梯度下降真正用来更新 W⁽ˡ⁾ 的量。
#
# 比较三种初始化（偏置都是 0）：
#
# | 激活函数 | 朴素初始化 | 本框架的默认（`nn.MLP`） | 对照 |
# |---|---|---|---|
# | logistic | N(0, 0.01)，教材 §5.7.4 的 Gaussian 例子 | Xavier，增益 4 | Xavier，增益 1（草稿 5.90 给 logistic 的） |
# | tanh | N(0, 0.01) | Xavier，增益 1 | Xavier，增益 4（草稿 5.91 给 tanh 的） |
# | ReLU | N(0, 0.01) | He：N(0, 2/n_{l−1}) | Xavier，增益 1 |
#
# 输出层没有激活函数，"默认"和"对照"两列里它都用增益 1 的 Xavier（`nn.MLP` 也是这样做的）。
# 每种设置重复多个随机种子（权重、输入、类别都重新抽），报告中位数和最小–最大范围。

# %%
DEPTH, WIDTH, BATCH, CLASSES = 10, 64, 128, 10
SEEDS = range(3) if QUICK else range(30)


def normal_init(std):
    return lambda shape, dtype, rng: init.normal(shape, std=std, dtype=dtype, rng=rng)


def xavier_init(gain):
    return lambda shape, dtype, rng: init.xavier_uniform(shape, gain=gain, dtype=dtype, rng=rng)


# (activation, label, init of the hidden layers, init of the output layer)
NAIVE = normal_init(0.1)             # N(0, 0.01): variance 0.01, std 0.1
CONFIGS = {
    ("logistic", "naive"): NAIVE, ("logistic", "default"): xavier_init(4.0), ("logistic", "other"): xavier_init(1.0),
    ("tanh", "naive"): NAIVE, ("tanh", "default"): xavier_init(1.0), ("tanh", "other"): xavier_init(4.0),
    ("relu", "naive"): NAIVE, ("relu", "default"): init.he_normal, ("relu", "other"): xavier_init(1.0),
}


def make_net(act, kind, rng):
    hidden = CONFIGS[(act, kind)]
    output = NAIVE if kind == "naive" else xavier_init(1.0)
    layers = []
    for l in range(1, DEPTH + 1):
        last = l == DEPTH
        layers.append(nn.Linear(WIDTH, CLASSES if last else WIDTH, init=output if last else hidden, rng=rng))
        if not last:
            layers.append(nn.get_activation(act))
    return nn.Sequential(*layers)


# the "default" column is what nn.MLP does by itself: the same generator draws the same weights
for act in ("logistic", "tanh", "relu"):
    ours = make_net(act, "default", np.random.default_rng(123))
    lib = nn.MLP([WIDTH] * DEPTH + [CLASSES], activation=act, rng=np.random.default_rng(123))
    assert all(np.array_equal(p.data, q.data) for p, q in zip(ours.parameters(), lib.parameters()))


SLOPE = {"logistic": F.logistic, "tanh": F.tanh}   # activations whose saturation we count


def gradient_norms(act, kind, seed):
    """At initialisation: ‖δ⁽ˡ⁾‖ (rms over samples) and ‖∂R/∂W⁽ˡ⁾‖_F for l = 1..DEPTH, and the
    fraction of saturated hidden units, f'(z) < f'(0)/10 (logistic and tanh only, else NaN)."""
    rng = np.random.default_rng(seed)
    net = make_net(act, kind, rng)
    X = rng.standard_normal((BATCH, WIDTH))
    labels = rng.integers(0, CLASSES, BATCH)
    h, zs = tg.Tensor(X), []
    for m in net:
        h = m(h)
        if isinstance(m, nn.Linear):
            zs.append(h.retain_grad())
    F.cross_entropy(h, labels).backward()
    delta = np.array([np.sqrt(np.mean(np.sum((BATCH * z.grad.data) ** 2, axis=1))) for z in zs])
    dW = np.array([np.linalg.norm(m.weight.grad.data) for m in net if isinstance(m, nn.Linear)])
    saturated = np.nan
    if act in SLOPE:
        f = SLOPE[act]
        z_hidden = np.concatenate([z.data.ravel() for z in zs[:-1]])
        slopes = tg.grad(lambda t: f(t).sum())(z_hidden).numpy()     # f'(z) by the engine
        saturated = float(np.mean(slopes < tg.grad(f)(0.0).item() / 10))
    return delta, dW, saturated


t0 = time.perf_counter()
runs = {key: [gradient_norms(*key, seed) for seed in SEEDS] for key in CONFIGS}
elapsed = time.perf_counter() - t0
delta_runs = {key: np.array([r[0] for r in v]) for key, v in runs.items()}   # seeds × layers
dW_runs = {key: np.array([r[1] for r in v]) for key, v in runs.items()}
sat_runs = {key: np.array([r[2] for r in v]) for key, v in runs.items()}     # one per seed
print(f"{len(CONFIGS)} 种设置 × {len(SEEDS)} 个种子，用时 {elapsed:.1f} s")

# %% [markdown]
# 先看每一层的权重梯度 ‖∂R/∂W⁽ˡ⁾‖_F（各种子的中位数）。l = 1 是最靠近输入的一层，l = 10 是输出层：

# %%
NAMES = {("logistic", "naive"): "logistic N(0,.01)", ("logistic", "default"): "logistic Xavier×4",
         ("logistic", "other"): "logistic Xavier×1", ("tanh", "naive"): "tanh N(0,.01)",
         ("tanh", "default"): "tanh Xavier×1", ("tanh", "other"): "tanh Xavier×4",
         ("relu", "naive"): "ReLU N(0,.01)", ("relu", "default"): "ReLU He", ("relu", "other"): "ReLU Xavier×1"}
W_COLS = (18,) + (8,) * DEPTH
print(table_row(["‖∂R/∂W⁽ˡ⁾‖_F"] + [f"l={l}" for l in range(1, DEPTH + 1)], W_COLS))
for key in CONFIGS:
    med = np.median(dW_runs[key], axis=0)
    print(table_row([NAMES[key]] + [f"{g:.1e}" for g in med], W_COLS))

# %% [markdown]
# 再把每种设置压缩成两个比值：第 1 层与第 10 层之比。比值远小于 1 是梯度消失，远大于 1 是梯度爆炸。
# 最后一列是**饱和**的隐藏神经元所占的比例（logistic 和 tanh）：f′(z) 不到 f′(0) 的十分之一，
# 即 logistic 的 |z| > 3.6、tanh 的 |z| > 1.8（f′ 照样由引擎算）。

# %%
ratio_W = {key: dW_runs[key][:, 0] / dW_runs[key][:, -1] for key in CONFIGS}       # one per seed
ratio_d = {key: delta_runs[key][:, 0] / delta_runs[key][:, -1] for key in CONFIGS}
R_COLS = (18, 11, 21, 11, 21, 9)
print(table_row(["设置", "W 比 中位数", "W 比 [最小, 最大]", "δ 比 中位数", "δ 比 [最小, 最大]", "饱和比例"],
                R_COLS))
for key in CONFIGS:
    rw, rd, sat = ratio_W[key], ratio_d[key], sat_runs[key]
    print(table_row([NAMES[key], f"{np.median(rw):.2e}", f"[{rw.min():.2e}, {rw.max():.2e}]",
                     f"{np.median(rd):.2e}", f"[{rd.min():.2e}, {rd.max():.2e}]",
                     "—" if np.isnan(sat).all() else f"{np.median(sat):.1%}"], R_COLS))

# %% [markdown]
# 完整运行（`python tutorials/05_activations_vanishing_gradients.py`，30 个种子，约半分钟）量到的第 1 层与第 10 层之比，
# 以及饱和比例的中位数：
#
# | 设置 | ‖∂R/∂W‖ 之比：中位数 [最小, 最大] | ‖δ‖ 之比：中位数 [最小, 最大] | 饱和比例 |
# |---|---|---|---|
# | logistic, N(0, 0.01) | 3.9 × 10⁻⁷ [2.2 × 10⁻⁷, 1.0 × 10⁻⁶] | 3.2 × 10⁻⁷ [2.6 × 10⁻⁷, 4.2 × 10⁻⁷] | 0.0% |
# | logistic, Xavier 增益 4 | 2.4 × 10⁻³ [8.2 × 10⁻⁴, 6.4 × 10⁻³] | 3.9 × 10⁻³ [2.5 × 10⁻³, 5.2 × 10⁻³] | 15.5% |
# | logistic, Xavier 增益 1 | 2.0 × 10⁻⁶ [1.1 × 10⁻⁶, 3.9 × 10⁻⁶] | 2.6 × 10⁻⁶ [2.1 × 10⁻⁶, 3.2 × 10⁻⁶] | 0.0% |
# | tanh, N(0, 0.01) | 1.05 [0.82, 1.48] | 0.068 [0.056, 0.091] | 0.3% |
# | tanh, Xavier 增益 1 | 1.42 [1.20, 1.79] | 0.36 [0.32, 0.43] | 0.8% |
# | tanh, Xavier 增益 4 | 14.0 [11.0, 19.6] | 14.7 [12.0, 18.2] | 61.3% |
# | ReLU, N(0, 0.01) | 1.19 [0.56, 1.99] | 5.8 × 10⁻³ [4.3 × 10⁻³, 9.6 × 10⁻³] | — |
# | ReLU, He | 0.35 [0.14, 0.90] | 0.98 [0.67, 1.52] | — |
# | ReLU, Xavier 增益 1 | 1.59 [0.85, 2.87] | 0.056 [0.040, 0.080] | — |
#
# 下面的断言对本次运行的**每一个**种子都成立（阈值都留了余量：先在 200 个种子上检查过）。

# %%
def every(values, lo=0.0, hi=np.inf):
    values = np.asarray(values)
    return bool(np.all((values > lo) & (values < hi)))


# logistic + naive small init: the first layer's gradient is ~10⁻⁶ of the last's (vanishing)
assert every(ratio_W[("logistic", "naive")], hi=1e-3) and every(ratio_d[("logistic", "naive")], hi=1e-3)
# ... and section 2's estimate ρ⁹ = (√64 · 0.1 · 1/4)⁹ = 0.2⁹ gets the error terms' ratio right within a small factor
rho = np.sqrt(WIDTH) * 0.1 * 0.25
assert every(ratio_d[("logistic", "naive")] / rho ** (DEPTH - 1), 0.1, 2.0)
# Xavier with gain 4 helps logistic units by more than 100× over gain 1 (NNDL draft's eq. 5.90 as labelled) ...
assert every(ratio_W[("logistic", "default")] / ratio_W[("logistic", "other")], lo=100)
# ... but does not remove the vanishing: still below 1/10
assert every(ratio_W[("logistic", "default")], hi=0.1)
# tanh + Xavier (gain 1): first and last layers within 10× of each other, for W and for δ
assert every(ratio_W[("tanh", "default")], 0.1, 10) and every(ratio_d[("tanh", "default")], 0.1, 10)
# tanh + gain 4 (NNDL draft's eq. 5.91 as labelled): the gradient grows towards the input
assert every(ratio_W[("tanh", "other")], lo=3) and every(ratio_d[("tanh", "other")], lo=3)
# Xavier keeps tanh units out of saturation; gain 4 saturates many of them
assert every(sat_runs[("tanh", "default")], hi=0.05) and every(sat_runs[("tanh", "other")], lo=0.5)
# logistic + Xavier gain 4: a minority of units saturate (gain 1 and N(0, 0.01): hardly any)
assert every(sat_runs[("logistic", "default")], 0.05, 0.4) and every(sat_runs[("logistic", "other")], hi=0.01)
# ReLU + He: the error terms keep their size through all ten layers
assert every(ratio_d[("relu", "default")], 0.1, 10) and every(ratio_W[("relu", "default")], 1 / 30, 30)
# ReLU + Xavier (gain 1, half He's variance): δ shrinks by ~1/√2 a layer; He is >4× better at the input
assert every(ratio_d[("relu", "other")], hi=0.2)
assert every(ratio_d[("relu", "other")] / 2 ** -4.5, 0.25, 4)   # ≈ (1/√2)⁹ ≈ 0.044
assert every(ratio_d[("relu", "default")] / ratio_d[("relu", "other")], lo=4)
# small init with zero-centred units (tanh, ReLU): δ vanishes, but ∂R/∂W = δ aᵀ stays level (see below)
for act in ("tanh", "relu"):
    assert every(ratio_d[(act, "naive")], hi=0.2) and every(ratio_W[(act, "naive")], 0.2, 5)
print("所有定性结论在", len(SEEDS), "个种子上都成立。")

# %% [markdown]
# 画在对数坐标上（实线是中位数，阴影是各种子的最小–最大范围）：

# %%
if plt is not None:
    L = plotting.label
    layers = np.arange(1, DEPTH + 1)
    legend = {
        "logistic": {"naive": L("N(0, 0.01)（教材的 Gaussian 例子）", "N(0, 0.01) (book's Gaussian example)"),
                     "default": L("Xavier，增益 4（本框架）", "Xavier, gain 4 (this library)"),
                     "other": L("Xavier，增益 1（草稿 5.90 的标注）", "Xavier, gain 1 (draft's eq. 5.90)")},
        "tanh": {"naive": L("N(0, 0.01)", "N(0, 0.01)"),
                 "default": L("Xavier，增益 1（本框架）", "Xavier, gain 1 (this library)"),
                 "other": L("Xavier，增益 4（草稿 5.91 的标注）", "Xavier, gain 4 (draft's eq. 5.91)")},
        "relu": {"naive": L("N(0, 0.01)", "N(0, 0.01)"),
                 "default": L("He：N(0, 2/n)（本框架）", "He: N(0, 2/n) (this library)"),
                 "other": L("Xavier，增益 1", "Xavier, gain 1")},
    }
    styles = {"naive": ("C3", "o"), "default": ("C0", "s"), "other": ("C2", "^")}
    fig, axes = plt.subplots(2, 3, figsize=(14, 8.5), sharex=True)
    for col, act in enumerate(("logistic", "tanh", "relu")):
        for row, (data, ylabel) in enumerate(
                ((delta_runs, L("误差项 ‖δ⁽ˡ⁾‖（样本均方根）", "error term ‖δ⁽ˡ⁾‖ (rms over samples)")),
                 (dW_runs, L("权重梯度 ‖∂R/∂W⁽ˡ⁾‖（Frobenius 范数）", "weight gradient ‖∂R/∂W⁽ˡ⁾‖ (Frobenius norm)")))):
            ax = axes[row, col]
            for kind in ("naive", "default", "other"):
                runs_k = data[(act, kind)]
                colour, marker = styles[kind]
                ax.semilogy(layers, np.median(runs_k, axis=0), "-", color=colour, marker=marker, ms=4,
                            label=legend[act][kind])
                ax.fill_between(layers, runs_k.min(axis=0), runs_k.max(axis=0), color=colour, alpha=0.15)
            ax.grid(True, which="major", alpha=0.3)
            if col == 0:
                ax.set_ylabel(ylabel)
            if row == 0:
                ax.set_title({"logistic": "logistic", "tanh": "tanh", "relu": "ReLU"}[act])
                ax.legend(fontsize=8, loc="lower right")
            else:
                ax.set_xlabel(L("层 l（1 = 最靠近输入）", "layer l (1 = next to the input)"))
            ax.set_xticks(layers)
    fig.suptitle(L(f"10 层网络在初始化时各层的梯度（宽 {WIDTH}，批大小 {BATCH}，{len(SEEDS)} 个种子）",
                   f"gradients per layer at initialisation, 10 layers (width {WIDTH}, batch {BATCH}, "
                   f"{len(SEEDS)} seeds)"))
    fig.tight_layout()
    plotting.show(fig, "05_gradient_norms")

# %% [markdown]
# ### 读图
#
# **logistic + N(0, 0.01)**：误差项每往回一层乘约 ρ = 0.2，第 1 层的误差项只剩输出层的 3 × 10⁻⁷ 左右，
# 和第 2 节的估计 0.2⁹ ≈ 5 × 10⁻⁷ 同一量级（实测略小：z 不全在 0 处，σ′(z) 略小于 1/4）；
# 权重梯度同样小了六七个数量级——第 1 层的权重几乎学不动。这正是 (5.81) 的 σ′ ≤ 1/4 加上过小的权重造成的。
# 注意 logistic 的输出 a ≈ 1/2 并不随层数变小（σ(0) = 1/2），所以 ∂R/∂W⁽ˡ⁾ = δ⁽ˡ⁾(a⁽ˡ⁻¹⁾)ᵀ 跟着 δ 一起消失。
#
# **logistic + Xavier**：增益 4 比增益 1（草稿 5.90 的标注）好近三个数量级，但第 1 层仍比第 10 层小两三个数量级，
# 而且已有约 15% 的隐藏神经元饱和。Glorot & Bengio (2010) 的结论是：logistic 函数的输出均值是 1/2 而不是 0，
# 这会把深层网络（尤其是最上面的隐藏层）推向饱和，所以它不适合随机初始化的深层网络。
# 这也是深层网络多用以 0 为中心的 tanh 和 ReLU 一族的原因之一。
#
# **tanh + Xavier（增益 1）**：第 1 层和第 10 层的权重梯度只差一两倍，饱和的神经元不到 1%——信号前后两个方向都基本保持。
# 换成增益 4（草稿 5.91 的标注），每层的 √n · s 约为 4，六成的隐藏神经元进入饱和区，
# 梯度反而**朝输入方向变大**（第 1 层比第 10 层大十几倍）：这是梯度爆炸的苗头。
#
# **ReLU**：ReLU 只让大约一半的输入通过（导数为 1 或 0），方差减半，所以 He 初始化把 (5.97) 的 1/n 加倍成 2/n；
# 误差项于是层层保持。只用 Xavier（增益 1）时，误差项每层大约乘 1/√2，9 层下来约 (1/√2)⁹ ≈ 0.044（实测 0.056）。
#
# **小的 N(0, 0.01) 配 tanh 或 ReLU**：误差项同样在往回传时衰减，但权重梯度各层却差不多大——为什么？
# 这两种激活函数在 0 附近输出也接近 0，前向时信号 a⁽ˡ⁾ 每层缩小的倍数和反向时 δ⁽ˡ⁾ 缩小的倍数相同，
# 乘积 δ⁽ˡ⁾(a⁽ˡ⁻¹⁾)ᵀ 就与层数无关（Glorot & Bengio 2010 对线性区的分析也得到这一点）。问题在于所有层的梯度都很小，
# 深层的信号几乎消失，网络的输出几乎不依赖输入；教材 §5.7.4 说得好："如果参数太小，会导致神经元的输入过小。
# 经过多层之后信号就慢慢消失了。参数过小还会使得 sigmoid 型激活函数丢失非线性的能力。"
#
# ## 小结
#
# - 激活函数的导数由引擎从基本运算的 vjp 规则组合出来，与表 5.1 的公式逐点一致（误差 < 10⁻¹⁵）；拐点处的约定：
#   relu′(0) = 0，hard-logistic、hard-tanh 在拐点取 0，leaky ReLU 在 0 处取 λ。
# - 反向传播每经过一层乘一次 f′（5.80）；σ′ ≤ 1/4（5.81）让 logistic 网络的误差项每层至少缩小 4 倍，
#   除非权重把它放大回来。
# - Xavier 初始化让 √n · s · f′(0) ≈ 1：tanh 增益 1，logistic 增益 4 = 1/σ′(0)（草稿 5.90、5.91 的标注是反的）；
#   ReLU 用 He 初始化（方差 2/n）。
#
# ## 练习
#
# 1. 把朴素初始化换成 N(0, 1)（`normal_init(1.0)`），tanh 和 ReLU 的梯度会怎样？（提示：√64 × 1 = 8。）
#    logistic 的比值反而比 Xavier 好——这时隐藏层有多大比例的神经元 σ′(z) < 0.01（饱和）？
# 2. 把深度改成 20 层，logistic + Xavier（增益 4）的比值大约变成多少？用第 2 节的 ρ 估计一下再量。
# 3. 把 tanh 网络的输入乘 10（饱和的输入），Xavier 还管用吗？
