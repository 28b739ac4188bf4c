# %% [markdown]
# # 教程 05：激活函数、梯度消失与 Xavier 初始化
#
# 教材（邱锡鹏 2020，见 [文献](../docs/references.md)）：§5.1.2 激活函数（出版版 §4.1，表 5.1，图 5.2–5.4）、
# §5.5 梯度消失问题（出版版 §4.6，公式 5.80–5.82）、§5.7.4 参数初始化（出版版 §7.3，公式 5.90–5.101）。
# 这一课先让引擎算出九个激活函数的导数，再说明为什么误差每往回传一层就乘一次 f′，最后量一个 10 层网络
# 在**初始化时**每一层的梯度：三种激活函数、三种初始化。顺带解释 Xavier 为什么给 logistic 乘 4。
# 先读：教程 04。下一课：教程 12。完整运行用 30 个随机种子（本机量得约 7 秒），`TINYGRAD_CN_QUICK=1` 时只用 3 个。

# %%
import numpy as np

import tinygrad_cn as tg
from tinygrad_cn import nn
from tinygrad_cn.nn import functional as F
from tinygrad_cn.nn import init
from tinygrad_cn.teach.checks import agrees
from tinygrad_cn.teach.lesson import QUICK, plt, show_code
from tinygrad_cn.teach.lessons.depth_gradients import (
    gradient_norms,
    make_net,
    normal_init,
    plot_activations,
    plot_gradient_norms,
    xavier_init,
)
from tinygrad_cn.teach.text import table_row

# %% [markdown]
# ## 1. 九个激活函数，导数由引擎来算
#
# 每个激活函数都由引擎的基本运算组合而成（`tinygrad_cn.nn.functional`，例如 hard-logistic 用 `where` 把
# 0.25x + 0.5 截到 [0, 1]），导数全部来自基本运算的 vjp 规则。激活函数是**逐元素**的：y_j = f(x_j) 只依赖 x_j，
# 所以对 S = Σ_j f(x_j) 求梯度，∂S/∂x_i = f′(x_i)——一遍反向扫描得到网格上每一点的导数。
# 网格取 x = −5, −4.99, …, 5（0、±1、±2 都是精确的网格点，正好落在拐点上）；leaky ReLU 用 λ = 0.01（公式 5.18）。

# %% [predict] tol=0.01
# 先想一想：logistic 函数 σ 的导数 σ′(x) 在整条实轴上最大是多少？
xs = np.arange(-500, 501) / 100.0
ACTS = {"logistic": F.logistic, "tanh": F.tanh, "hard-logistic": F.hard_logistic, "hard-tanh": F.hard_tanh,
        "ReLU": F.relu, "leaky ReLU": lambda x: F.leaky_relu(x, 0.01), "ELU": F.elu, "softplus": F.softplus,
        "Swish": F.swish}
val = {name: f(tg.Tensor(xs)).numpy() for name, f in ACTS.items()}
der = {name: tg.grad(lambda t, f=f: f(t).sum())(xs).numpy() for name, f in ACTS.items()}   # 一遍反向扫描
answer = der["logistic"].max()

# %% [markdown]
# 表 5.1 的导数都可以用函数值本身表示：logistic 的 f′ = f(1 − f)，tanh 的 f′ = 1 − f²，softplus 的导数就是 logistic。
# (5.81)：σ′ ∈ [0, 0.25]，最大值 0.25 在 x = 0 处；(5.82)：tanh′(0) = 1。ReLU 在 0 处不可导，本框架约定 relu′(0) = 0；
# hard-logistic 是 σ 在 0 处的一阶泰勒展开截到 [0, 1]（5.8、5.11），中间一段斜率正是 σ′(0) = 1/4。
# 逐点的核对（误差 < 10⁻¹⁵）在 `tests/test_lessons_core.py` 里；这里看几个点，再画出来（图上 leaky ReLU 用 λ = 0.1 才看得清）：

# %%
points = (-5.0, -2.0, -1.0, 0.0, 1.0, 2.0, 5.0)
at = [int(np.flatnonzero(xs == v)[0]) for v in points]
print(table_row(["f′(x)"] + [f"x = {v:g}" for v in points], (14,) + (10,) * 7))
for name in ACTS:
    print(table_row([name] + [f"{der[name][i]:.4g}" for i in at], (14,) + (10,) * 7))
sig = 1 / (1 + np.exp(-xs))                                        # 只用 NumPy
agrees("logistic 的导数 = f(1 − f)（表 5.1）", der["logistic"], sig * (1 - sig), tol=1e-15)
if plt is not None:
    plot_val, plot_der = dict(val), dict(der)
    plot_val["leaky ReLU"] = F.leaky_relu(tg.Tensor(xs), 0.1).numpy()
    plot_der["leaky ReLU"] = tg.grad(lambda t: F.leaky_relu(t, 0.1).sum())(xs).numpy()
    plot_activations(plt, xs, plot_val, plot_der, "05_activations")

# %% [markdown]
# ## 2. 为什么 f′ 决定梯度能不能传回去
#
# 教程 04 手写过误差项的递推，教材 §5.5 把它重写一遍：δ⁽ˡ⁾ = f′_l(z⁽ˡ⁾) ⊙ ((W⁽ˡ⁺¹⁾)ᵀ δ⁽ˡ⁺¹⁾)（5.80）。
# 每往回一层乘一次 f′；σ′ ≤ 1/4、tanh′ ≤ 1，饱和区更接近 0。如果权重也不足以把它放大回来，误差就一层层衰减：
# **梯度消失**。粗略估计：每层宽 n，权重独立、均值 0、方差 s²，乘 (W⁽ˡ⁺¹⁾)ᵀ 后长度约乘 √n · s，再乘 f′。
# 对 logistic，输入在 0 附近时 f′ ≈ 1/4，每层约乘 ρ = √n · s / 4。教材 §5.7.4 的 Gaussian 例子 s² = 0.01，
# n = 64 时 ρ = 8 × 0.1 / 4 = 0.2，往回 9 层是 0.2⁹ ≈ 5 × 10⁻⁷。
#
# ## 3. Xavier 初始化与“乘 4”
#
# 要让信号不衰减也不放大，就要 √n · s · f′ ≈ 1。教材的推导（5.92–5.99）假设神经元工作在**线性区间**，a = f(z) ≈ z，
# 折中得 Var(w) = 2/(n_{l−1} + n_l)（5.99），均匀分布 U[−r, r] 的方差 r²/3（5.100），r = √(6/(n_{l−1} + n_l))（5.101）。
# “a ≈ z”对 tanh 成立（tanh′(0) = 1）；对 logistic 不成立：σ(z) ≈ 1/2 + z/4（5.8），斜率只有 1/4，
# 所以权重要放大 4 倍：r = 4√(6/(n_{l−1} + n_l))。**教材草稿的标注写反了**：草稿 (5.90) 把 r = √(6/…) 标给 logistic，
# (5.91) 把 4√(6/…) 标给 tanh；Glorot & Bengio (2010) 之后的通行做法、出版版和本框架都把 4 放在 logistic 上。
# 这个 4 就是 1/f′(0)：

# %%
for act, f in (("logistic", F.logistic), ("tanh", F.tanh)):
    slope0 = tg.grad(f)(0.0).item()
    print(f"{act:>8}: f′(0) = {slope0}，增益 1/f′(0) = {1 / slope0}，init.XAVIER_GAIN = {init.XAVIER_GAIN[act]}")
agrees("init.XAVIER_GAIN 的 logistic、tanh 增益 = 1/f′(0)", [init.XAVIER_GAIN["logistic"], init.XAVIER_GAIN["tanh"]],
       [4.0, 1.0])

# %% [markdown]
# ## 4. 实验：10 层网络在初始化时每一层的梯度
#
# 10 层：前 9 层宽 64（logistic、tanh 或 ReLU），第 10 层输出 10 个类别的 logits，softmax 交叉熵；一批 128 个样本，
# x ~ N(0, I)，类别随机。不训练，只在初始化处做一遍 `backward()`，每层量误差项 ‖δ⁽ˡ⁾‖（教程 04：N × `z.grad` 的行，
# 对样本取均方根）和权重梯度 ‖∂R/∂W⁽ˡ⁾‖_F。隐藏神经元**饱和**指 f′(z) < f′(0)/10（logistic 的 |z| > 3.6、tanh 的 |z| > 1.8）。
# 三种初始化（偏置都是 0；输出层在后两列都用增益 1 的 Xavier，`nn.MLP` 也这样做）：
#
# | 激活函数 | 朴素 | 本框架的默认（`nn.MLP`） | 对照 |
# |---|---|---|---|
# | logistic | N(0, 0.01)，教材的 Gaussian 例子 | Xavier，增益 4 | Xavier，增益 1（草稿 5.90 的标注） |
# | tanh | N(0, 0.01) | Xavier，增益 1 | Xavier，增益 4（草稿 5.91 的标注） |
# | ReLU | N(0, 0.01) | He：N(0, 2/n_{l−1}) | Xavier，增益 1 |

# %%
SEEDS = range(3) if QUICK else range(30)
NAIVE = normal_init(0.1)                      # N(0, 0.01)：方差 0.01，标准差 0.1
CONFIGS = {("logistic", "朴素"): NAIVE, ("logistic", "默认"): xavier_init(4.0), ("logistic", "对照"): xavier_init(1.0),
           ("tanh", "朴素"): NAIVE, ("tanh", "默认"): xavier_init(1.0), ("tanh", "对照"): xavier_init(4.0),
           ("relu", "朴素"): NAIVE, ("relu", "默认"): init.he_normal, ("relu", "对照"): xavier_init(1.0)}
runs = {}
for (act, kind), hidden in CONFIGS.items():
    output = NAIVE if kind == "朴素" else xavier_init(1.0)
    runs[(act, kind)] = [gradient_norms(make_net(act, hidden, output, rng), act, rng)
                         for rng in (np.random.default_rng(seed) for seed in SEEDS)]
delta_runs = {key: np.array([r[0] for r in v]) for key, v in runs.items()}   # 种子 × 层
dW_runs = {key: np.array([r[1] for r in v]) for key, v in runs.items()}
sat = {key: np.median([r[2] for r in v]) for key, v in runs.items()}
ours = make_net("tanh", CONFIGS[("tanh", "默认")], xavier_init(1.0), np.random.default_rng(123))
lib = nn.MLP([64] * 10 + [10], activation="tanh", rng=np.random.default_rng(123))
agrees("“默认”一列就是 nn.MLP 自己抽的权重", all(np.array_equal(p.data, q.data)
                                            for p, q in zip(ours.parameters(), lib.parameters())), True, source="与 nn.MLP 一致")
show_code(gradient_norms)

# %% [predict] choices=更大|更小
# 先想一想：第 2 节估计 logistic + N(0, 0.01) 的误差项往回 9 层缩小到 ρ⁹ = 0.2⁹ ≈ 5 × 10⁻⁷。
# 实测第 1 层与第 10 层的 ‖δ‖ 之比（各种子的中位数）比这个估计更大还是更小？
ratio_d = {key: d[:, 0] / d[:, -1] for key, d in delta_runs.items()}
ratio_W = {key: w[:, 0] / w[:, -1] for key, w in dW_runs.items()}
answer = "更大" if np.median(ratio_d[("logistic", "朴素")]) > 0.2**9 else "更小"

# %% [markdown]
# 更小：z 不全在 0 处，σ′(z) 略小于 1/4。每种设置压缩成第 1 层与第 10 层之比（远小于 1 是梯度消失，远大于 1 是爆炸）：

# %%
COLS = (20, 14, 14, 9)
print(table_row(["设置", "‖∂R/∂W‖ 之比", "‖δ‖ 之比", "饱和比例"], COLS))
for key in CONFIGS:
    print(table_row([f"{key[0]} {key[1]}", f"{np.median(ratio_W[key]):.3g}", f"{np.median(ratio_d[key]):.3g}",
                     "—" if np.isnan(sat[key]) else f"{sat[key]:.1%}"], COLS))
agrees("tanh + Xavier：第 1 层与第 10 层的 ‖∂R/∂W‖ 相差不到 10 倍",
       bool(np.all((ratio_W[("tanh", "默认")] > 0.1) & (ratio_W[("tanh", "默认")] < 10))), True, source="与 Glorot 2010 一致")
if plt is not None:
    gains = {"logistic": ("Xavier 增益 4", "Xavier 增益 1"), "tanh": ("Xavier 增益 1", "Xavier 增益 4"),
             "relu": ("He", "Xavier 增益 1")}
    legend = {(a, k): f"{k}：" + {"朴素": "N(0, 0.01)", "默认": gains[a][0], "对照": gains[a][1]}[k] for a, k in CONFIGS}
    plot_gradient_norms(plt, delta_runs, dW_runs, legend,
                        f"10 层网络在初始化时各层的梯度（{len(SEEDS)} 个随机种子）", "05_gradient_norms")

# %% [markdown]
# 完整运行（30 个种子）量到的中位数（快速运行只有 3 个种子，上表的数会略有不同；下文引用的是完整运行）：
#
# | 设置 | ‖∂R/∂W‖ 之比 | ‖δ‖ 之比 | 饱和比例 |
# |---|---|---|---|
# | logistic 朴素 / 默认 / 对照 | 3.9 × 10⁻⁷ / 2.4 × 10⁻³ / 2.0 × 10⁻⁶ | 3.2 × 10⁻⁷ / 3.9 × 10⁻³ / 2.6 × 10⁻⁶ | 0.0% / 15.5% / 0.0% |
# | tanh 朴素 / 默认 / 对照 | 1.05 / 1.42 / 14.0 | 0.068 / 0.36 / 14.7 | 0.3% / 0.8% / 61.3% |
# | ReLU 朴素 / 默认 / 对照 | 1.19 / 0.35 / 1.59 | 5.8 × 10⁻³ / 0.98 / 0.056 | — |

# %%
FULL_RUN = {("logistic", "朴素"): (3.9e-7, 3.2e-7, 0.0), ("logistic", "默认"): (2.4e-3, 3.9e-3, 0.155),
            ("logistic", "对照"): (2.0e-6, 2.6e-6, 0.0), ("tanh", "朴素"): (1.05, 0.068, 0.003),
            ("tanh", "默认"): (1.42, 0.36, 0.008), ("tanh", "对照"): (14.0, 14.7, 0.613),
            ("relu", "朴素"): (1.19, 5.8e-3, np.nan), ("relu", "默认"): (0.35, 0.98, np.nan),
            ("relu", "对照"): (1.59, 0.056, np.nan)}
if not QUICK:                                  # 完整运行：上表的每个数都在印出的精度内
    for key, (w, d, s) in FULL_RUN.items():
        got = (np.median(ratio_W[key]), np.median(ratio_d[key]))
        assert all(abs(g / q - 1) < 0.05 for g, q in zip(got, (w, d))), (key, got)
        assert np.isnan(s) or abs(sat[key] - s) < 0.0006, (key, sat[key])
    print("✓ 与完整运行的表一致")

# %% [markdown]
# ### 读图
#
# **logistic + N(0, 0.01)**：第 1 层的误差项只剩输出层的 3 × 10⁻⁷ 左右，权重梯度同样小了六七个数量级。logistic 的输出
# a ≈ 1/2 不随层数变小，所以 ∂R/∂W⁽ˡ⁾ = δ⁽ˡ⁾(a⁽ˡ⁻¹⁾)ᵀ 跟着 δ 一起消失。**logistic + Xavier**：增益 4 比增益 1 好近三个
# 数量级，但第 1 层仍小两三个数量级，且约 15% 的隐藏神经元饱和。Glorot & Bengio (2010)：logistic 的输出均值是 1/2
# 而不是 0，会把深层网络推向饱和——深层网络多用以 0 为中心的 tanh 和 ReLU 一族，这是原因之一。
#
# **tanh + Xavier**：第 1 层和第 10 层的权重梯度只差一两倍，饱和不到 1%。换成增益 4，六成隐藏神经元饱和，
# 梯度反而**朝输入方向变大**：梯度爆炸的苗头。**ReLU**：只让大约一半的输入通过，方差减半，所以 He 初始化把 1/n
# 加倍成 2/n，误差项层层保持；只用 Xavier 时每层约乘 1/√2，9 层约 (1/√2)⁹ ≈ 0.044（完整运行 0.056）。
#
# **小的 N(0, 0.01) 配 tanh 或 ReLU**：误差项照样衰减，权重梯度却各层差不多——前向时 a⁽ˡ⁾ 每层缩小的倍数和反向时 δ⁽ˡ⁾
# 的相同，乘积与层数无关。问题是所有层的信号都很小，教材 §5.7.4：“如果参数太小，会导致神经元的输入过小。
# 经过多层之后信号就慢慢消失了。”
#
# 自己再试（不评分）：把朴素初始化换成 N(0, 1)（`normal_init(1.0)`），tanh 和 ReLU 的梯度会怎样？logistic 隐藏层里
# 有多大比例的神经元饱和（按第 4 节的定义 f′(z) < f′(0)/10，即 σ′(z) < 0.025）？把深度改成 20 层，先用 ρ 估计再量。
#
# ## 小结
#
# - 激活函数的导数由引擎从基本运算的 vjp 规则组合出来，与表 5.1 逐点一致；拐点处的约定：relu′(0) = 0 等。
# - 反向传播每经过一层乘一次 f′（5.80）；σ′ ≤ 1/4（5.81），除非权重把它放大回来，logistic 网络的误差项会层层缩小。
# - Xavier 初始化让 √n · s · f′(0) ≈ 1：tanh 增益 1，logistic 增益 4 = 1/σ′(0)；ReLU 用 He 初始化（He 等 2015，方差 2/n）。
#
# ## 练习
#
# - ★ 05.1 σ、tanh、relu 的导数（表 5.1）
# - ★★ 05.2 梯度穿过 10 层：连乘
#
# 列出、开始、检查：
#
#     python -m tinygrad_cn.exercises list --lesson 05
#     python -m tinygrad_cn.exercises start 05.1 --dir 我的练习
#     python -m tinygrad_cn.exercises check 05.1 --dir 我的练习
