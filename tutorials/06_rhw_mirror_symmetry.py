# %% [markdown]
# # 教程 06（案例）：RHW 1986 的镜像对称——反向传播学到的表示，和“卡住”的网络
#
# **结论先行**（完整实验，50 个随机种子；下文的表格逐项由完整运行里的 `assert` 核对）：
#
# - 按 Rumelhart、Hinton、Williams 1986（下称 RHW，见 [文献](../docs/references.md)）的设置——6-2-1 的 logistic 网络、
#   ε = 0.1、α = 0.9、初值 U(−0.3, 0.3)、全批量——引擎原样复现图 1 的解：镜像位置的权重等大反号、大小之比 1:2:4、
#   隐藏偏置为负、输出偏置为正。
# - 但 RHW 报告的 1,425 轮是一次运气不错的运行：1,425 轮内只学会 16/50，5,000 轮内 34/50（学会者中位数 1,589 轮）。
# - 没学会的网络卡在 E ≈ 4（对 8 个对称模式都说“不对称”）。这**不是**局部极小，而是动量过冲造成的饱和平台；
#   离开它的时间约反比于 30 轮后的 S₀ = 4 − E，等到 50,000 轮，50 个全部学会（最慢的 36,640 轮）。
# - RHW 建议的“额外的连接”没有帮忙：6-3-1 在 1,425 轮内学会 11/50，加输入直连只有 1/50（多数停在 E ≈ 3.5）；
#   把 ε 减半到 0.05 则 45/50，中位数 703 轮。
#
# **先读**：教程 01（计算图、反向模式）、04（手写反向传播：误差项逐层传回）、05（logistic 的饱和：σ′ 很小时梯度消失）；
# 教材（邱锡鹏 2020）§5.3 反向传播算法 5.1（出版版 §4.4）、§5.5 梯度消失（出版版 §4.6，公式 5.80–5.82）；
# RHW 1986 公式 (1)–(7) 与图 1（译本与 Nature 原文的公式编号对照见文末附录 A）。
# 带「先想一想」的格子会先请你猜一个数（或在几个选项里选一个），再运行。
#
# RHW 图 1 的说明（中文译本）：
#
# > 一个已经学会检测输入向量镜像对称性的网络……学习过程需要对 64 种可能的输入向量集进行 1,425 次遍历，
# > 每次遍历后根据累积的梯度调整权重。……ε = 0.1 和 α = 0.9。初始权重是随机的，并均匀分布在 −0.3 到 0.3 之间。
#
# 译文的“一次遍历”是把 64 个模式全部用一遍、再更新一次权重，本项目叫**一轮**（epoch，见 [术语表](../docs/glossary.md)）。
#
# 运行：`python tutorials/06_rhw_mirror_symmetry.py` 是完整实验（50 个随机种子、每个最多 5,000 轮；大实验由 `tg.jit`
# 编译后把随机种子摞在一起算，见 2.1 节。CPU 时间约 35 秒，在一台两核机器上每个核跑一篇教程时量得 35 秒）；
# `TINYGRAD_CN_QUICK=1` 只跑 4 个随机种子、每个最多 1,425 轮（二十秒上下），这时打印的数和正文引用的完整实验不同。逐格执行：`python -m tinygrad_cn.tutorial tutorials/06_rhw_mirror_symmetry.py`。
# 模型、训练和画图在 `tinygrad_cn/teach/lessons/rhw.py`。

# %%
import time

import numpy as np

import tinygrad_cn as tg
from tinygrad_cn.teach.checks import agrees
from tinygrad_cn.teach.lesson import QUICK, show_code
from tinygrad_cn.teach.lessons.rhw import (
    RHW_EPOCHS,
    SYM,
    X_T,
    MirrorNet,
    Run,
    X,
    check_quoted,
    d,
    engine_rhw,
    error,
    experiment,
    numpy_rhw,
    plot_error_curves,
    plot_escape_time,
    plot_weights,
    stacked_nets,
    summary,
    train_all,
)
from tinygrad_cn.teach.text import table_row

np.set_printoptions(precision=4, suppress=True, linewidth=110)
SEEDS = list(range(4)) if QUICK else list(range(50))  # 随机种子 s：np.random.default_rng(s)
BUDGET = 1425 if QUICK else 5000  # 表里每次训练最多的轮数
LONG_BUDGET = 50_000  # 卡在平台上的网络最多等多少轮（第 4 节）
print("快速模式（TINYGRAD_CN_QUICK=1）" if QUICK else "完整实验", f"：随机种子 {SEEDS[0]}–{SEEDS[-1]}，每次最多 {BUDGET} 轮")


# %% [markdown]
# ## 1. 任务：6 位输入是否关于中点镜像对称
#
# `tg.datasets.mirror_symmetry()` 给出全部 2⁶ = 64 个二值输入向量和目标 d：对称为 1，否则为 0。
# 对称的向量由前 3 位决定（后 3 位是它的镜像），所以恰有 2³ = 8 个。
#
# RHW 说这个任务“无法仅通过将输入单元直接连接到输出单元来完成”：中间 4 位全为 0 的 4 个向量 (x₁, 0, 0, 0, 0, x₆)
# 对称当且仅当 x₁ = x₆，这是异或的反面，线性不可分（证明见附录 B）。所以需要隐藏单元。

# %%
SYM_NAMES = ["".join(str(int(b)) for b in row) for row in X[SYM]]
print("8 个对称模式：", " ".join(SYM_NAMES))

# 藏在里面的异或：中间 4 位为 0 时，对称当且仅当 x₁ = x₆
corners = [np.flatnonzero((X[:, 1:5] == 0).all(1) & (X[:, 0] == a) & (X[:, 5] == b))[0]
           for a, b in ((0, 0), (0, 1), (1, 0), (1, 1))]
print("(x₁, 0,0,0,0, x₆) 的目标：", d[corners, 0], "（00、01、10、11）")
agrees("(x₁, 0,0,0,0, x₆) 的目标是异或的反面", list(d[corners, 0]) == [1, 0, 0, 1], True, source="线性不可分")
# 其余检查：64 个各不相同的模式，对称的恰好 8 个，且正是等于自己镜像的那些
assert X.shape == (64, 6) and d.shape == (64, 1)
assert SYM.sum() == 2**3 and len({tuple(r) for r in X}) == 64
assert np.array_equal(X[SYM], X[SYM][:, ::-1])
assert not np.any(np.all(X[~SYM] == X[~SYM][:, ::-1], axis=1))

# %% [markdown]
# ## 2. 网络、误差与学习规则（RHW 公式 (1)–(7)）
#
# - 公式 (1)：单元 j 的总输入 x_j = Σᵢ yᵢ w_ji；偏置是“值恒为 1 的额外输入上的权重”，“可以像其他权重一样进行处理”，
#   所以偏置也从 U(−0.3, 0.3) 初始化；
# - 公式 (2)：y_j = 1/(1 + e^{−x_j})，即 `F.logistic`；
# - 公式 (3)：E = ½ Σ_c Σ_j (y_{j,c} − d_{j,c})²，对 64 个模式**求和**（不是平均）：`F.squared_error(..., reduction="sum")`；
# - 公式 (7)（原文 (9)）：Δw(t) = −ε ∂E/∂w(t) + α Δw(t−1)，每一轮（全部 64 个模式）t 加 1：
#   `optim.SGD(lr=ε, momentum=α)` 正是这个形式（它存的就是上一次的 Δw；见 [docs/derivations/momentum.md](../docs/derivations/momentum.md)）。
#
# `MirrorNet(seed, hidden=2, direct=False)` 是这个网络。`hidden=3` 多一个隐藏单元；`direct=True` 加上 6 条输入→输出的直连
# （RHW：“连接可以跳过中间层”）。初值按固定顺序从 `np.random.default_rng(seed)` 抽取：先是 6-2-1 的 W1、b1、W2、b2，
# 再是多出来的权重，所以**同一个随机种子**下，三种网络的 6-2-1 部分初值完全相同，比较时只差那几条额外的连接。

# %%
show_code(MirrorNet)
for kw, n_expected in (({}, 6 * 2 + 2 + 2 + 1), ({"hidden": 3}, 6 * 3 + 3 + 3 + 1),
                       ({"direct": True}, 6 * 2 + 2 + 2 + 1 + 6)):
    net = MirrorNet(0, **kw)
    print(f"{str(kw):18s} 参数个数 {net.num_parameters()}")
    assert net.num_parameters() == n_expected
    assert all(np.all(np.abs(p.data) <= 0.3) for p in net.parameters())
assert np.array_equal(MirrorNet(7, hidden=3).W1.data[:2], MirrorNet(7).W1.data)  # 同样的 6-2-1 初值
assert np.array_equal(MirrorNet(7, direct=True).b2.data, MirrorNet(7).b2.data)

# %% [markdown]
# ### 2.1 核对：引擎的一步 = RHW 的反向传递
#
# 不经过 tinygrad_cn，`numpy_rhw` 用 NumPy 按 RHW 的文字手写反向传递：∂E/∂y_j = y_j − d_j（公式 (4)），
# ∂E/∂x_j = ∂E/∂y_j · y_j(1 − y_j)（紧接其后、译文未编号的一式，原文 (5)），
# ∂E/∂w_ji = ∂E/∂x_j · y_i（公式 (5)，原文 (6)），对各个模式累加；
# 隐藏单元的 ∂E/∂y_i = Σ_j ∂E/∂x_j · w_ji（译文未编号，原文 (7)）；最后按公式 (7)（原文 (9)）更新。
# `engine_rhw` 用引擎做同样的事：`error(net).backward()`，再 `opt.step()`。从同样的初值各走 200 轮，
# 两边的权重应当一致到舍入误差。

# %%
show_code(numpy_rhw, lines=(4, 15))
net = MirrorNet(3)
start = [p.data.copy() for p in net.parameters()]
t0 = time.perf_counter()
engine_rhw(net, 200)
t_engine = (time.perf_counter() - t0) / 200
t0 = time.perf_counter()
by_hand = numpy_rhw(start, 200)
t_numpy = (time.perf_counter() - t0) / 200
diff = max(np.abs(p.data - q).max() for p, q in zip(net.parameters(), by_hand))
print(f"200 轮后，引擎与手写 NumPy 的权重最大差 {diff:.1e}")
print(f"每轮：引擎 {t_engine * 1e3:.3f} ms，手写 NumPy {t_numpy * 1e3:.3f} ms")
agrees("200 轮后引擎与手写 NumPy 的权重之差", diff, 0.0, tol=1e-10, source="与 RHW 的反向传递一致")

# %% [markdown]
# 每轮引擎只要一毫秒上下。手写 NumPy 快一个数量级（引擎要记录计算图、逐个运算调用求导规则）。
# 可下面的实验要训练 6 种设置 × 50 个随机种子、每个最多 5,000 轮，再让卡住的网络续跑到 50,000 轮，
# 合计约 87 万轮（第 5 节末尾数出来），逐个用引擎要好几分钟。所以从第 3 节起，大实验交给 `train_all`：
# 同一种设置下还在学的网络，权重沿新的第一个轴摞起来（`stacked_nets`：每个网络经过的运算和 `error` 一样，顺序也一样），
# 用 `tg.jit`（教程 12 讲它）把“这些网络的输出和误差”与“ΣE 对摞起来的权重的梯度”各编译成一段直线式的 NumPy 程序，
# 每轮各跑一次，再按公式 (7) 更新（与 `optim.SGD.step` 一样的算术）。ΣE 对网络 s 的权重求偏导，得到的就是网络 s
# 自己的 ∂E/∂w，所以编译的程序算出的数和引擎逐个训练**逐位相同**（不只是舍入误差以内）——下面就核对这一点。
# 求导还是上面核对过的那套反向传递，只是由 `tg.jit` 先写成了程序；要一步一步看它怎么算，仍用引擎。

# %%
show_code(stacked_nets)
CHECK_SEEDS, CHECK_EPOCHS = (0, 1, 3), 600  # 随机种子 1 在第 566 轮学会：停下的那一刻也要一样
by_engine = [Run(s).train(CHECK_EPOCHS) for s in CHECK_SEEDS]
t0 = time.perf_counter()
compiled = train_all([Run(s) for s in CHECK_SEEDS], CHECK_EPOCHS)
t_compiled = (time.perf_counter() - t0) / sum(r.t for r in compiled)
same = all(a.t == b.t and a.solved_at == b.solved_at and a.E == b.E
           and all(np.array_equal(p.data, q.data) for p, q in zip(a.net.parameters(), b.net.parameters()))
           for a, b in zip(by_engine, compiled))
print("学会的轮数：引擎", [r.solved_at for r in by_engine], "，编译", [r.solved_at for r in compiled])
print(f"每个网络每轮：编译、摞起来 {t_compiled * 1e3:.3f} ms（只有 3 个网络；50 个时每个更便宜）")
agrees("编译、摞起来训练与引擎逐个训练：每轮的 E、最后的权重逐位相同", same, True, source="同一套计算")

# %% [markdown]
# ## 3. RHW 的设置，50 个随机种子
#
# **“学会”的判据**：64 个模式的输出都在 0.5 的正确一侧（对称的 y > 0.5，不对称的 y < 0.5）。
# 每一轮先做前向计算，判据满足就停下，记下此前已经做了多少次权重更新——这就是“需要的轮数”。
# 这比 RHW 在图 4 说明里用的“0.8 以上 / 0.2 以下”宽松，但对于“分对了没有”足够；学会后若继续训练，
# 输出会很快更接近 0 和 1（第 6 节）。
#
# `Run` 把一个网络和它的优化器包起来，可以分段续跑（`train(5000)` 之后再 `train(50000)` 等于一口气跑到 50,000）。
# 下面打印的是它的 `train`，也就是每个随机种子经历的过程；`experiment` 用 `train_all` 把全部随机种子一起算（上面核对过：
# 结果和逐个调用 `Run(seed).train(BUDGET)` 逐位相同）。
# 它记下每一轮的 E（`E[t]` 是 t 次更新之后的误差）。

# %%
show_code(Run.train)
rhw = experiment(BUDGET, SEEDS)
n1425, n_budget, med, _ = summary(rhw, BUDGET)
print(f"\n{len(rhw)} 个随机种子里，{RHW_EPOCHS} 轮内学会 {n1425} 个，{BUDGET} 轮内学会 {n_budget} 个，"
      f"后者需要的轮数中位数 {med}")
print("各随机种子需要的轮数（None = 预算内没学会）：", [r.solved_at for r in rhw])
if QUICK:
    print("（快速模式：下面的表引用的是完整实验，与这里打印的数不同）")
# 检查：有的学会、有的没有（完整实验里 1,425 轮内不到一半、5,000 轮内也不是全部）；随机种子 1 学会（第 6 节用），
# 随机种子 0 没有（第 4 节用）；下表的数（计数 ±2、中位数 ±10%，见 check_quoted）
assert 0 < n1425 < len(rhw)
if not QUICK:
    assert n1425 < len(rhw) / 2 and n_budget < len(rhw)
assert rhw[1].solved_within(RHW_EPOCHS)
assert not rhw[0].solved_within(RHW_EPOCHS)
check_quoted(summary(rhw, BUDGET), (1, 1, 566, None) if QUICK else (16, 34, 1589, "1.7e-04"))

# %% [markdown]
# 完整实验（`python tutorials/06_rhw_mirror_symmetry.py`，50 个随机种子）的结果：
#
# | 设置 | 1,425 轮内学会 | 5,000 轮内学会 | 学会者的轮数中位数 |
# |---|---|---|---|
# | 6-2-1，ε = 0.1，α = 0.9（RHW） | 16 / 50 | 34 / 50 | 1,589 |
#
# 这些计数取决于舍入的最后几位：换一种 CPU，个别随机种子可能在预算前后学会或学不会，所以上面的检查给计数留 ±2、
# 给中位数留 ±10%（例如 1,425 轮内 14–18 个、中位数 1,431–1,747）。
#
# 也就是说，RHW 报告的 1,425 轮是一次“运气不错”的运行：按他们的设置，只有约三分之一的初值（16/50）在 1,425 轮内学会，
# 5,000 轮内学会的那些需要的轮数中位数约 1,600，另有约三分之一（16/50）在 5,000 轮内都没有学会。
# （随机数的约定不同，哪些随机种子成功也就不同；上面的比例才是可比的量。）
#
# 下图是前几个随机种子的误差曲线（横轴是对数）。每一条曲线都在最初两轮里从 6–10 掉到 3.5 附近，
# 又**爬回** 4，然后在 E ≈ 4 停很久；学会的那些是后来从这个平台上走下来的。

# %%
plot_error_curves(rhw[:6], BUDGET)

# %% [markdown]
# ## 4. 卡住的网络：E ≈ 4 是什么
#
# 取随机种子 0（1,425 轮后仍未学会），看它对 8 个对称模式的输出：

# %%
r0 = rhw[0]
net0 = engine_rhw(MirrorNet(0), RHW_EPOCHS)  # 再训练一次随机种子 0，正好 RHW 的 1,425 轮
with tg.no_grad():
    y0 = net0(X_T).data[:, 0]
E0 = error(net0).item()
print(f"随机种子 0，{RHW_EPOCHS} 轮后：E = {E0:.6f}")
for name, v in zip(SYM_NAMES, y0[SYM]):
    print(f"  {name} → y = {v:.2e}（目标 1）")
print(f"56 个不对称模式的最大输出：{y0[~SYM].max():.1e}（目标 0）")
acc = np.mean((y0 > 0.5) == SYM)
print(f"分类正确率 {acc:.4f} = {int(acc * 64)}/64")
# 检查：E ≈ ½·8·1² = 4；与表里那次训练的轨迹相同；对全部 64 个模式都说“不对称”：56 个不对称的对、8 个对称的全错
assert abs(E0 - 4) < 1e-3
assert E0 == r0.E[RHW_EPOCHS]
assert np.all(y0[SYM] < 0.01) and np.all(y0[~SYM] < 0.01)
assert acc == 56 / 64

# %% [markdown]
# 网络对**所有** 64 个模式都说“不对称”，而且说得极其肯定（输出 10⁻⁶ 量级）。8 个对称模式各贡献 ½(1 − 0)² = ½，
# 所以 E ≈ ½·8·1² = 4；56 个不对称模式是对的。正确率 87.5%，误差却比“什么都不学”还大：
# 对每个模式都输出同一个常数时，最好的常数是 p = 1/8，E(1/8) = 3.5 < 4（附录 C）。
#
# 那么 E ≈ 4 是局部极小吗？两个检查：
#
# 1. **梯度**。所有输出 y_c 都很小时，记 S = Σ_{对称 c} y_c，则 4 − E ≈ S，而输出偏置 b 的梯度 ≈ −S（推导见附录 C）：
#    **不是 0**，只是极小，而且指向“把 b 调大”。
# 2. **一条下坡的路**。只把输出偏置 b 往上加，所有输出一起变大，E 应当一路下降到 3.5 左右——中间没有任何“山”。

# %%
S = 4 - E0
net0.zero_grad()
error(net0).backward()
g_b = net0.b2.grad.item()
print(f"4 − E = {S:.3e}，Σ_对称 y = {y0[SYM].sum():.3e}，∂E/∂b = {g_b:.3e}")

b_start = net0.b2.data.copy()
shifts = np.linspace(0, 15, 151)
E_path = []
with tg.no_grad():
    for s in shifts:
        net0.b2.data = b_start + s
        E_path.append(error(net0).item())
net0.b2.data = b_start  # 把权重放回去
E_path = np.array(E_path)
k = int(np.argmin(E_path))
print(f"把 b 加大 {shifts[k]:.1f}：E 从 {E_path[0]:.4f} 单调降到 {E_path[k]:.4f}")
agrees("沿“加大 b”一路下坡", bool(np.all(np.diff(E_path[: k + 1]) < 0)), True, source="不是局部极小")
# 其余检查：4 − E ≈ S，∂E/∂b ≈ −S（很小但不是 0）；最好的常数输出 1/8 给 3.5；下坡走到 3.5 附近；权重已放回
assert abs(y0[SYM].sum() - S) / S < 0.01
assert abs(g_b + S) / S < 0.01
p = 1 / 8
E_const = 0.5 * (8 * (1 - p) ** 2 + 56 * p**2)
assert abs(8 * (p - 1) + 56 * p) < 1e-15 and abs(E_const - 3.5) < 1e-15
assert E_path[k] < 3.6
assert np.array_equal(net0.b2.data, b_start)

# %% [markdown]
# 所以 E ≈ 4 **不是局部极小**：沿着“加大输出偏置”这一个方向就能一路下坡。它是一个**平台**（plateau）：
# 输出单元的总输入 x 在 −13 左右，σ′(x) = y(1 − y) ≈ 10⁻⁶，误差信号传到每个权重之前都乘上了这个因子
# （教程 05 的梯度消失，这里发生在输出单元），梯度小到每轮只能挪动 10⁻⁵ 量级。
#
# 网络是怎么掉进去的？看最初几轮的 E：

# %%
print("随机种子 0 最初 12 轮的 E：", np.round(r0.E[:12], 4))
print(f"第 30 轮后 E = {r0.E[30]:.6f}")
assert min(r0.E[:5]) < 3.6  # 梯度下降先到了“最好的常数”那一层……
assert r0.E[30] > 3.99 and r0.E[30] > min(r0.E[:5]) + 0.39  # ……又爬回 4

# %% [markdown]
# 第 2 轮后 E 已经降到 3.5 附近（差不多是“输出常数 1/8”），接着却**升**回 4。这是动量的过冲：
# 一开始 64 个模式里有 56 个的目标是 0，它们的误差信号同号，一起把输出偏置和隐藏→输出权重往负方向推；
# 公式 (3) 是对 64 个模式**求和**，ε = 0.1 乘上这个和已经是很大的一步，α = 0.9 的动量再把它累积成约
# 1/(1 − α) = 10 倍。等到梯度反向，已经冲过了头：输出单元被推进饱和区，所有输出都贴近 0，梯度随之消失。
#
# ### 4.1 离开平台要多久？
#
# 平台上梯度 ∝ S，对称模式的输出又以正比于 S·y 的速度增大，合起来 dS/dt ≈ κS²（附录 C），解为
# S(t) = S₀ / (1 − κ S₀ t)：S 在 t* = 1/(κ S₀) 时“爆发”，**离开平台的时间反比于掉进去的深度 S₀**。
# 取 S₀ = 4 − E(30)（30 轮后动量的过冲已经结束：它的时间常数是 1/(1 − α) = 10 轮）。随机种子 0 的 S₀ ≈ 2×10⁻⁵，
# 照此估计要上万轮。那就让它接着跑（完整实验里，所有 5,000 轮内没学会的随机种子都接着跑，最多到 50,000 轮）：

# %%
t0 = time.perf_counter()
to_continue = [r0] if QUICK else [r for r in rhw if r.solved_at is None]
train_all(to_continue, LONG_BUDGET)  # 等于逐个 r.train(LONG_BUDGET)，一起编译着算
print(f"续跑 {len(to_continue)} 个网络，{time.perf_counter() - t0:.1f} s")
print(f"随机种子 0：S₀ = {r0.S30:.2e}，在第 {r0.solved_at} 轮学会（1/S₀ = {1 / r0.S30:.0f}）")
assert r0.solved_within(LONG_BUDGET)  # “卡住”的网络确实离开了平台
if not QUICK:
    print("续跑后仍未学会的随机种子：", [r.seed for r in rhw if r.solved_at is None])
    assert all(r.solved_within(LONG_BUDGET) for r in rhw)  # 最后每个随机种子都学会了

solved = [r for r in rhw if r.solved_at is not None]
S0 = np.array([r.S30 for r in solved])
T = np.array([r.solved_at for r in solved])
print(f"学会了 {len(solved)}/{len(rhw)} 个，最慢的是随机种子 {solved[int(np.argmax(T))].seed}：{T.max()} 轮")
on_plateau = S0 < 2e-3  # 掉进了平台（30 轮后的 4 − E 很小）
slope = np.polyfit(np.log(S0[on_plateau]), np.log(T[on_plateau]), 1)[0]
rank = np.corrcoef(np.argsort(np.argsort(S0)), np.argsort(np.argsort(T)))[0, 1]  # Spearman 秩相关
print(f"{len(solved)} 个学会的网络：log(轮数) 对 log S₀ 的斜率 {slope:.2f}，秩相关 {rank:.2f}")
print("t·S₀：", np.round(T * S0, 2))
agrees("学会所需的轮数与 S₀ 的秩相关 < −0.9", rank < -0.9, True, source="掉得越深，等得越久")
if not QUICK:
    assert -1.2 < slope < -0.6  # 大致成反比（简单模型说 −1）

# %% [markdown]
# 完整实验里 50 个随机种子**全部**学会了，最慢的（随机种子 4）要 36,640 轮；学会所需的轮数与 S₀ 的秩相关是 −0.98，
# 双对数坐标下的斜率 −0.77（简单模型说 −1：κ 并不真是常数，离开平台后隐藏单元还要花几百轮分化，
# 这一段不随 S₀ 变）。t·S₀ 大多在 0.3–1 之间：知道 30 轮后的 E，就大致知道还要等多久。
#
# 换句话说，在 RHW 自己的设置下看到的“卡住”，是动量把网络推进了饱和平台，而不是误差曲面上的局部极小；
# 只要等得够久，每个初值都能学会。

# %%
plot_escape_time(S0, T)

# %% [markdown]
# ## 5. 什么能提高成功率？
#
# RHW 在文末讨论局部极小：
#
# > 我们只在那些连接数刚刚足够执行任务的网络中遇到过这种不良行为。增加一些额外的连接会在权重空间中创建额外的维度，
# > 这些维度提供了绕过在低维子空间中产生较差局部最小值的障碍的路径。
#
# 6-2-1 正是“连接数刚刚足够”的网络。按字面量两种“额外的连接”：第三个隐藏单元（6-3-1，多 8 个权重），
# 和 6 条输入→输出的直连。再按第 4 节的诊断量步长：ε = 0.05 和 0.02（α 仍为 0.9）。
# 同一组随机种子，每个最多 5,000 轮；最后一列是 30 轮后的 S₀ = 4 − E(30) 的中位数（越小掉得越深）。

# %%
CONFIGS = [
    ("6-2-1，ε = 0.1（RHW）", None),
    ("6-3-1，ε = 0.1", dict(hidden=3)),
    ("6-2-1 + 直连，ε = 0.1", dict(direct=True)),
    ("6-2-1，ε = 0.05", dict(lr=0.05)),
    ("6-3-1，ε = 0.05", dict(hidden=3, lr=0.05)),
    ("6-2-1，ε = 0.02", dict(lr=0.02)),
]
results = {}
for name, config in CONFIGS:
    runs = experiment(BUDGET, SEEDS, **config) if config is not None else rhw
    results[name] = (runs, summary(runs, BUDGET))

widths = (24, 14, 14, 16, 12)
print()
print(table_row(("设置", f"{RHW_EPOCHS} 轮内学会", f"{BUDGET} 轮内学会", "学会者中位数", "S₀ 中位数"), widths))
for name, (runs, (a, b, m, s)) in results.items():
    print(table_row((name, f"{a}/{len(runs)}", f"{b}/{len(runs)}", "—" if m is None else f"{m:.0f}",
                     f"{s:.1e}"), widths))
if QUICK:
    print("（快速模式：下面的表引用的是完整实验，与这里打印的数不同）")
total = sum(r.t for runs, _ in results.values() for r in runs)  # 第 2.1 节说的“约 87 万轮”
print(f"第 3–5 节一共训练了 {total:,} 轮（一个网络的一次权重更新算一轮）")
if not QUICK:
    assert abs(total - 870_000) < 0.05 * 870_000  # “约”：计数可随舍入挪动几个随机种子

# %%
QUOTED = {  # 下表：1,425 轮内、5,000 轮内学会的个数，学会者的轮数中位数，S₀ 中位数（核对方式同第 3 节）
    "6-2-1，ε = 0.1（RHW）": (16, 34, 1589, "1.7e-04"), "6-3-1，ε = 0.1": (11, 25, 1897, "5.3e-05"),
    "6-2-1 + 直连，ε = 0.1": (1, 1, 473, "2.2e-04"), "6-2-1，ε = 0.05": (45, 50, 703, "5.6e-03"),
    "6-3-1，ε = 0.05": (41, 50, 758, "2.2e-03"), "6-2-1，ε = 0.02": (32, 49, 1304, "8.1e-02")}
if not QUICK:
    for name, (_, got) in results.items():
        check_quoted(got, QUOTED[name])

base = results["6-2-1，ε = 0.1（RHW）"][1]
h3, direct = results["6-3-1，ε = 0.1"][1], results["6-2-1 + 直连，ε = 0.1"][1]
e05 = results["6-2-1，ε = 0.05"][1]
agrees("ε = 0.05 时每个随机种子都在预算内学会", e05[1] == len(SEEDS), True, source="步长减半")
# 其余检查：额外的连接在 1,425 轮内没有帮忙；6-3-1 掉得更深；步长更小则掉得更浅、学会的更多
assert h3[0] <= base[0] and direct[0] <= base[0]
assert h3[3] < base[3]
assert e05[0] > base[0] and e05[3] > base[3]

# %% [markdown]
# 完整实验（50 个随机种子，`python tutorials/06_rhw_mirror_symmetry.py`）：
#
# | 设置 | 1,425 轮内学会 | 5,000 轮内学会 | 学会者的轮数中位数 | S₀ 中位数 |
# |---|---|---|---|---|
# | 6-2-1，ε = 0.1，α = 0.9（RHW） | 16 / 50 | 34 / 50 | 1,589 | 1.7e-4 |
# | 6-3-1，ε = 0.1 | 11 / 50 | 25 / 50 | 1,897 | 5.3e-5 |
# | 6-2-1 + 直连，ε = 0.1 | 1 / 50 | 1 / 50 | 473 | 2.2e-4 |
# | 6-2-1，ε = 0.05 | 45 / 50 | 50 / 50 | 703 | 5.6e-3 |
# | 6-3-1，ε = 0.05 | 41 / 50 | 50 / 50 | 758 | 2.2e-3 |
# | 6-2-1，ε = 0.02 | 32 / 50 | 49 / 50 | 1,304 | 8.1e-2 |
#
# 读法：
#
# - **额外的连接没有帮上忙**，反而更差。第三个隐藏单元多了一条通向输出单元的路：一轮里输出单元总输入的变化
#   多了一份，第 4 节的过冲更猛，掉得更深（S₀ 的中位数小了约 3 倍），离开平台也就更慢。
#   直连网络掉得并不更深，却几乎全军覆没（50 个里只有 1 个学会，而它的 S₀ = 0.048，根本没掉进平台）：
#   它们离开 E ≈ 4 的平台后，多数停在另一个地方，E ≈ 3.5（见下）。
#   RHW 那句话说的是低维子空间里的局部极小；6-2-1 在这里遇到的障碍不是它。
# - **把步长减半就几乎全部学会**：ε = 0.05 时 1,425 轮内学会的比例从三分之一升到九成（45/50），中位数 703 轮，
#   比 RHW 的 1,425 轮还快；5,000 轮内 50 个全部学会。ε 再小（0.02）掉得很浅（S₀ 大了一个数量级），
#   但每一步太小，整体又变慢了。
#
# 直连网络的另一种卡法：E ≈ 3.5——但不是“常数输出 1/8”的那个 3.5：

# %%
direct_runs = results["6-2-1 + 直连，ε = 0.1"][0]
at_35 = [r for r in direct_runs if r.solved_at is None and abs(r.E[-1] - 3.5) < 0.05]
print(f"{len(direct_runs)} 个直连网络中，{len(at_35)} 个在 {BUDGET} 轮时 E ≈ 3.5")
if at_35:
    r = at_35[0]
    with tg.no_grad():
        yd = r.net(X_T).data[:, 0]
    print(f"随机种子 {r.seed}：E = {r.E[-1]:.4f}，直连权重 {r.net.Wd.data[0]}")
    for name, v in zip(SYM_NAMES, yd[SYM]):
        print(f"  {name} → y = {v:.1e}")
    right = [n for n, v in zip(SYM_NAMES, yd[SYM]) if v > 0.5]
    # 检查：只有 000000 被判为对称；另外 7 个对称模式被压向 0，1 越多压得越低；直连权重全负；E ≈ 3.5
    assert right == ["000000"]
    ones = X[SYM].sum(axis=1)  # 0、2、4 或 6 个 1
    assert np.all(yd[SYM][ones > 0] < 1e-3)
    for k in (0, 2, 4):
        assert yd[SYM][ones == k].min() > yd[SYM][ones == k + 2].max()
    assert np.all(yd[~SYM] < 0.5) and np.all(r.net.Wd.data < 0)
    assert abs(r.E[-1] - 0.5 * 7) < 0.05
assert len(at_35) >= 1
if not QUICK:
    assert len(at_35) > len(direct_runs) / 2  # 多数直连网络停在这里

# %% [markdown]
# 直连权重全都是很大的负数：直连学到的是一个线性特征“1 越多越不对称”。它让 000000 得到“对称”，
# 却把其余 7 个对称模式的输出压到 10⁻³ 以下，1 越多压得越低（每多两个 1 就小几个数量级）；
# 这些模式的梯度又都 ∝ y，几乎没有力量把网络拉回来。
# 8 个对称模式错 7 个，E ≈ ½·7·1² = 3.5。完整实验里 50 个直连网络有 31 个在 5,000 轮时停在这里。
# 这才像 RHW 说的“较差的局部极小”，而它恰恰是**多出来的**连接造成的。
#
# ## 6. 学会了的网络：图 1 的结构
#
# RHW 图 1 的说明：
#
# > 该解决方案的关键特性是，对于给定的隐藏单元，关于输入向量中点对称的权重在大小上相等但符号相反。
# > 因此，如果呈现一个对称模式，两个隐藏单元将从输入单元接收到净输入为 0，并且由于隐藏单元具有负偏置，两者都将关闭。
# > 在这种情况下，具有正偏置的输出单元将处于开启状态。请注意，中点两侧的权重比例为 1:2:4。……
# > 两个隐藏单元具有相同的权重模式但符号相反，因此对于每一个非对称模式，一个隐藏单元将开启并抑制输出单元。
#
# 取随机种子 1（RHW 设置下 566 轮学会），像 RHW 一样训练到第 1,425 轮，然后逐条检查。
# 容差：镜像残差 |w_i + w_{7−i}| 和两个隐藏单元之间的残差要小于最小权重绝对值 w_min 的 5%，
# 比例 1:2:4 也检查到 5%（为什么这样就够，见附录 D）；另外直接检查 1:2:4 要保证的性质：
# 左半边 8 种模式给出 8 个**不同**且等间距的和。

# %% [predict] tol=0.5 answer=n_antisym
# 先想一想：输入→隐藏的权重 W1 有 2 × 6 = 12 个。随机种子 1 的网络训练到第 1,425 轮之后，
# 这 12 个里有几个和它镜像位置（输入 i ↔ 输入 7 − i）上的权重等大反号（残差 |w_i + w_{7−i}| 小于 5% w_min）？
net1 = MirrorNet(1)
engine_rhw(net1, RHW_EPOCHS)  # 像 RHW 的图一样训练到第 1,425 轮
W1, b1, W2, b2 = (p.data for p in net1.parameters())
n_antisym = int(np.sum(np.abs(W1 + W1[:, ::-1]) < 0.05 * np.abs(W1).min()))

# %%
r1 = rhw[1]
assert r1.solved_within(RHW_EPOCHS)
print("输入→隐藏权重 W1（每行一个隐藏单元）：\n", W1)
print("隐藏单元偏置 b1 =", b1, "  隐藏→输出权重 W2 =", W2[0], "  输出偏置 b2 =", b2)
with tg.no_grad():
    y1 = net1(X_T).data[:, 0]
    h1 = net1.hidden(X_T).data
print(f"E = {error(net1).item():.4f}，输出最差的一个离目标 {np.abs(y1 - d[:, 0]).max():.3f}")
assert np.abs(y1 - d[:, 0]).max() < 0.2  # 连 RHW 图 4 更严的判据（0.8 以上 / 0.2 以下）也满足

w_min = np.abs(W1).min()
mirror_resid = np.abs(W1 + W1[:, ::-1]).max()  # w_i + w_{7−i} 应为 0
units_resid = np.abs(W1[0] + W1[1]).max()  # 两个单元：同样的模式，相反的符号
ratios = np.sort(np.abs(W1[:, :3]), axis=1) / np.sort(np.abs(W1[:, :3]), axis=1)[:, :1]
print(f"w_min = {w_min:.3f}；镜像残差 {mirror_resid:.4f}，两单元残差 {units_resid:.4f}（容差 {0.05 * w_min:.3f}）")
print("每个隐藏单元左半边权重的大小之比：\n", ratios)
agrees("镜像位置的权重等大反号（残差 < 5% w_min）", mirror_resid < 0.05 * w_min, True, source="与 RHW 图 1 一致")
assert n_antisym == W1.size  # 先想一想的答案：12 个全都是，两个隐藏单元的每一对都等大反号

# %%
# 图 1 的其余各条：两个单元互为相反数；1:2:4；隐藏偏置负、输出偏置正、隐藏→输出权重负
assert units_resid < 0.05 * w_min
assert np.all(np.abs(ratios - [1, 2, 4]) < 0.05 * np.array([1, 2, 4]))
assert np.all(b1 < 0) and b2[0] > 0 and np.all(W2 < 0)
# 1:2:4 带来的性质：左半边 8 种模式给每个单元送去 8 个不同且等间距的和
for j in range(2):
    sums = np.sort(np.unique(np.round(X[:, :3] @ W1[j, :3], 9)))
    gaps = np.diff(sums)
    assert len(sums) == 8 and gaps.min() > 0.9 * gaps.max()
# 图 1 的说明里发生的事：对称模式两个隐藏单元都关、输出开；不对称模式恰好一个单元开、输出关
assert np.all(h1[SYM] < 0.5)
assert np.all(y1[SYM] > 0.5)
assert np.all((h1[~SYM] > 0.5).sum(axis=1) == 1)
assert np.all(y1[~SYM] < 0.5)
net_in_sym = X[SYM] @ W1.T  # 对称模式送给隐藏单元的净输入（不算偏置）
assert np.abs(net_in_sym).max() < 3 * mirror_resid + 1e-12  # “净输入为 0”
print("图 1 说明里的其余各条也都成立")

# %% [markdown]
# 全部成立：镜像位置的权重等大反号，两个隐藏单元互为相反数（残差都远在容差之内），
# 大小之比约 1 : 1.99 : 3.97，隐藏单元偏置为负、输出偏置为正、隐藏→输出权重为负。
# 对称模式使两个隐藏单元的净输入恰为 0，只剩负偏置，两者都关；输出单元靠正偏置开启。
# 不对称模式使净输入不为 0，一正一负，恰好一个隐藏单元开启，抑制输出。
#
# 1:2:4 的**顺序**却不固定。RHW 的原话只有“中点两侧的权重比例为 1:2:4”，以及它的用处：中点一侧可能出现的
# 八种模式各自给每个隐藏单元送去**不同**的总和，只有另一侧的镜像模式才能把它抵消。原文没有说哪个位置是 1、
# 哪个是 4——任何一种分配都有这个用处。随机种子 1 的网络是**从外向内** 1:2:4（中点旁的权重最大）；
# 在所有学会的网络里数一数（用学会那一刻的权重）：

# %%
orders = {}
for r in [r for r in rhw if r.solved_at is not None]:
    w = np.abs(r.net.W1.data[0, :3])  # 位置 1、2、3：由外向内
    order = tuple(int(k) for k in np.argsort(np.argsort(w)))  # 名次 0、1、2 = 权重 1、2、4
    orders[order] = orders.get(order, 0) + 1
for order, n in sorted(orders.items(), key=lambda kv: -kv[1]):
    print("位置 1、2、3（由外向内）的权重 =", ":".join(str(2**k) for k in order), f"：{n} 个网络")
assert tuple(np.argsort(np.argsort(np.abs(W1[0, :3])))) == (0, 1, 2)  # 随机种子 1：由外向内 1:2:4
if not QUICK:
    assert len(orders) == 6  # 3! 种顺序全都出现：图 1 的说明并没有规定顺序
    assert all(4 <= n <= 14 for n in orders.values())  # 下文引用的计数，留出舍入能挪动的余地

# %% [markdown]
# 完整实验里 50 个学会的网络用到了全部 3! = 6 种顺序（由外向内数：2:1:4 有 12 个，1:4:2 有 11 个，1:2:4 有 8 个，
# 4:1:2 有 7 个，2:4:1 和 4:2:1 各 6 个）。这是我们量到的，不是原文说的；哪个网络落到哪种顺序取决于舍入
# （换一种 CPU，个别随机种子可能换一种顺序），所以检查只要求 6 种都出现、每种 4–14 个。
#
# ### 6.1 画出来
#
# 左图仿 RHW 图 1：弧上的数是权重，节点里的数是偏置（红色为正、蓝色为负，线宽正比于大小）。
# 右图是 Hinton 图（RHW 图 4 的画法）：白色方块是兴奋性（正）权重，黑色方块是抑制性（负）权重，面积正比于大小。

# %%
plot_weights(W1, b1, W2, b2, RHW_EPOCHS)

# %% [markdown]
# ## 小结
#
# - RHW 的设置（6-2-1，ε = 0.1，α = 0.9，U(−0.3, 0.3)，全批量，E 按公式 (3) 求和）在引擎上原样可复现：
#   学会的网络正是图 1 的解——镜像权重等大反号、1:2:4、隐藏偏置为负、输出偏置为正。
# - 但 1,425 轮内学会的只有约三分之一（完整实验 16/50）；5,000 轮内 34/50，中位数 1,589 轮。
# - 没学会的网络卡在 E ≈ 4：对 8 个对称模式都说“不对称”，½·8·1² = 4。那不是局部极小，是动量过冲造成的饱和平台：
#   梯度 ≈ −(4 − E)，沿“加大输出偏置”一路下坡；离开它的时间约反比于 30 轮后的 4 − E，等够了全都会学会。
# - 按 RHW 的建议加连接（第三个隐藏单元、输入直连输出）**没有**提高成功率：它们让过冲更深；
#   直连还制造了一个真正的坏状态（只认出 000000，E ≈ 3.5）。把 ε 减半到 0.05 则 1,425 轮内学会九成、中位数 703 轮。
#
# ## 练习
#
# - ★ 06.1 镜像对称的 64 个输入
# - ★★ 06.2 RHW 公式 (7)：带动量的更新
# - ★★★ 06.3 亲手造出图 1 的解
#
# 列出、开始、检查：
#
#     python -m tinygrad_cn.exercises list --lesson 06
#     python -m tinygrad_cn.exercises start 06.1 --dir 我的练习
#     python -m tinygrad_cn.exercises check 06.1 --dir 我的练习
#
# ## 附录
#
# **A. 公式编号。** 我们读的是 RHW 的中文译本，它的公式编号与 Nature 原文不同：译文 (1)–(4) 即原文 (1)–(4)，
# 译文 (5) ∂E/∂w 是原文 (6)，译文 (6) Δw = −ε∂E/∂w 是原文 (8)，译文 (7) 动量公式是原文 (9)
# （图 1 的说明里“方程 (9) 中的参数 ε = 0.1 和 α = 0.9”用的就是原文编号）。正文写“公式 (7)（原文 (9)）”。
#
# **B. 没有隐藏层学不会。** 只看中间 4 位全为 0 的 4 个向量 (x₁, 0, 0, 0, 0, x₆)，它们对称当且仅当 x₁ = x₆。
# 没有隐藏层时，输出 σ(w₁x₁ + w₆x₆ + b) > 0.5 当且仅当 w₁x₁ + w₆x₆ + b > 0，要求 b > 0、w₁ + w₆ + b > 0、
# w₁ + b < 0、w₆ + b < 0；后两式相加得 w₁ + w₆ + 2b < 0，与前两式之和 w₁ + w₆ + 2b > 0 矛盾。
#
# **C. 平台上的 E 和梯度。** 对每个模式都输出常数 p 时 E(p) = ½[8(1 − p)² + 56p²]，令导数 8(p − 1) + 56p = 0
# 得 p = 1/8，E(1/8) = 3.5。所有输出 y_c 都很小时，记 S = Σ_{对称 c} y_c，展开公式 (3)：
# E = ½Σ_对称(1 − y)² + ½Σ_不对称 y² = 4 − S + O(y²)，所以 4 − E ≈ S。输出偏置 b 的梯度是
# Σ_c (y_c − d_c) y_c(1 − y_c) ≈ −Σ_对称 y_c = −S。其他权重的梯度也都带一个因子 y_c，所以都 ∝ S：
# 权重以正比于 S 的速度移动，对称模式的总输入 x_c 也就以正比于 S 的速度增大，而 dy_c = y_c·dx_c
# （y 很小时 σ′ ≈ σ），于是
#
#     dS/dt ≈ κ S²    ⇒    S(t) = S₀ / (1 − κ S₀ t)，
#
# S 在 t* = 1/(κ S₀) 时“爆发”。
#
# **D. 第 6 节的容差。** 记 w_min 为最小的权重绝对值。不对称模式送给隐藏单元的净输入（不算偏置）至少差 w_min
# （1:2:4 时，±1·w ± 2·w ± 4·w 的非零组合最小是 w），所以镜像残差 |w_i + w_{7−i}| 和两个隐藏单元之间的残差
# 只要远小于 w_min，对称与不对称就分得开；我们要求它们小于 5% w_min。
