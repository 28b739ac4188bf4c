# %% [markdown]
# # 教程 13：梯度的累加、`zero_grad`、`detach` 与 `no_grad`
#
# 一个节点被用了两次，它的梯度是两条边的贡献**相加**；`.grad` 也是加上去的，不是覆盖——
# 所以连着两次 `backward()` 会发生什么、训练循环里为什么每一步都要 `zero_grad`，都从这一个“加”字来。
# 最后两节讲怎样让梯度**不**流过某处：`detach()` 切断一条边，`no_grad()` 让一段代码根本不记录计算图。
#
# 先读：教程 01（反向模式表，NNDL 公式 5.75–5.79）。带 ✎「先想一想」的格子会先请你猜一个数，再运行。

# %%
import tinygrad_cn as tg
from tinygrad_cn.teach.trace import reverse_steps, reverse_table

# %% [markdown]
# ## 1. 一个节点用了两次：贡献相加
#
# f = x · x。乘法的两个输入是**同一个**节点 x，所以从 f 回到 x 有两条边。
# 教材在讲路径时说过：有多条路径时，“将这多条路径上的导数再进行相加”（NNDL §5.4，出版版 §4.5.3）。

# %% [predict] tol=1e-9
# 先想一想：x = 3 时，f = x · x 的 ∂f/∂x 是多少？
x = tg.Tensor(3.0, requires_grad=True, name="x")
f = (x * x).named("f")
f.backward(retain_graph=True)
answer = x.grad.item()

# %% [markdown]
# 反向模式表把两条边分开写：每条边的贡献 = ∂f/∂f × 乘法对这个输入的局部导数（另一个因子，也是 x），两项相加。

# %%
print(reverse_table(f))
(row_x,) = [s for s in reverse_steps(f) if s.node == "x"]
print("两条边的贡献:", [t.product for t in row_x.terms], "→ 和", row_x.total)
assert [t.product for t in row_x.terms] == [3.0, 3.0] and row_x.total == 6.0 == answer

# %% [markdown]
# 引擎的反向扫描里，这就是一行 `cot[x] = prev + gi`：已经有一条边的贡献，新的就**加**上去。
# 把 `+` 写成 `=`（后来的贡献覆盖先来的），x 就只剩一条边，梯度少一半——练习 13.2 让你亲手写这一行。
#
# ## 2. 再调用一次 `backward()`

# %% [predict] choices=报错|梯度变成两倍|梯度不变
# 先想一想：上面第一次 backward() 用了 retain_graph=True（留着图）。现在再调用一次 f.backward()，x.grad 会怎样？
f.backward()
after_second = x.grad.item()
answer = {12.0: "梯度变成两倍", 6.0: "梯度不变"}.get(after_second, "报错")

# %% [markdown]
# `backward()` 把 ∂f/∂x **加进** `x.grad`，不会先清零：第二遍又加了一份。
# 这一次没有写 `retain_graph=True`，扫描之后图被标为“已扫描”，第三次就会报错：

# %%
print("两次 backward() 之后 x.grad =", x.grad.item())
assert answer == "梯度变成两倍" and x.grad.item() == 2 * row_x.total
try:
    f.backward()
except tg.GraphFreedError as err:
    print("第三次:", type(err).__name__, "—", str(err)[:90], "…")
else:
    raise AssertionError("a third backward() should raise")

# %% [markdown]
# 为什么默认不许扫第二遍？反向扫描要用前向时留下的值（例如乘法的另一个因子），
# 框架可以在扫描后释放它们；想再扫一遍，就在第一次说 `retain_graph=True`（教材没有这个概念，它是实现上的选择）。
#
# ## 3. 训练循环里的 `zero_grad`
#
# 训练时每一步都重新算一遍损失、`backward()` 一次。如果忘了清零，第 k 步的 `.grad` 是前 k 步梯度之和。
# 下面每一步的损失都是 L = (w · x − 1)²，w = 1，x = 2，（为了看清楚）不更新 w。

# %% [predict] tol=1e-9
# 先想一想：不清零，连续 3 步 backward() 之后 w.grad 是多少？（一步的 ∂L/∂w = 2(wx − 1)·x）
w = tg.Tensor(1.0, requires_grad=True, name="w")
piled = []
for _ in range(3):
    loss = (w * 2.0 - 1.0) ** 2
    loss.backward()
    piled.append(w.grad.item())
answer = w.grad.item()

# %% [markdown]
# 每一步先清零，再对比一次：

# %%
cleared = []
for _ in range(3):
    w.zero_grad()                           # 或者 w.grad = None；一个模型用 model.zero_grad()
    ((w * 2.0 - 1.0) ** 2).backward()
    cleared.append(w.grad.item())
print("不清零:", piled, " 每步清零:", cleared)
assert piled == [4.0, 8.0, 12.0] and cleared == [4.0, 4.0, 4.0] and answer == piled[-1]

# %% [markdown]
# 累加不是缺陷：一批样本太大放不下时，可以分几次 `backward()`，让梯度自己加起来，再更新一次（“梯度累积”）。
#
# ## 4. `detach()`：切断一条边
#
# `t.detach()` 给出同样的值，但它是一个新的叶子，不记得自己从哪里来：梯度到它就停了。
# g = w · w.detach() 的值和 w · w 一样，但 w 只通过一个因子连到 g。

# %% [predict] tol=1e-9
# 先想一想：w = 3 时，g = w · w.detach() 的 ∂g/∂w 是多少？
w = tg.Tensor(3.0, requires_grad=True, name="w")
g = w * w.detach()
g.backward()
answer = w.grad.item()

# %%
print(f"g = {g.item():g}（和 w·w 一样），∂g/∂w = {w.grad.item():g}（w·w 的是 {2 * w.item():g}）")
assert g.item() == 9.0 and answer == 3.0 == w.item()

# %% [markdown]
# 用途：把一个值当作常数（目标网络、停止梯度的技巧），或者只想要数值、不想要图的时候。
#
# ## 5. `no_grad()`：这段代码不记录
#
# 在 `with tg.no_grad():` 里算出的张量不记录计算图（NNDL 图 5.8 那样的图一条边也不画），
# 所以也不能对它求导。更新参数、评估模型都应该放在里面：既省内存，也不会把更新这一步错记进下一次的图。

# %%
w = tg.Tensor(2.0, requires_grad=True, name="w")
with tg.no_grad():
    y = w * 3.0
print("no_grad 里算的 y:", y, " requires_grad =", y.requires_grad, " 记录的运算 =", y.op)
try:
    y.backward()
except RuntimeError as err:
    print("y.backward():", str(err)[:80], "…")
assert y.item() == 6.0 and not y.requires_grad and y.op is None
z = w * 3.0                                 # outside: recorded again
assert z.requires_grad and z.op == "mul"

# %% [markdown]
# ## 小结
#
# | 现象 | 原因 | 在代码里 |
# |---|---|---|
# | 节点用了两次，梯度是两项之和 | 链式法则对所有路径求和 | 反向扫描里 `cot[x] = prev + gi` |
# | 第二次 `backward()` 让 `.grad` 变大 | `.grad` 是累加的 | 想重算就先 `zero_grad()` |
# | 第三次 `backward()` 报错 | 图扫过一遍后被标记 | 需要时用 `retain_graph=True` |
# | `detach()` 之后梯度不过去 | 新叶子，没有输入 | 把值当常数 |
# | `no_grad()` 里不记录 | 记录被关掉 | 参数更新、评估 |
#
# ## 练习（会自己检查）
#
# `python -m tinygrad_cn.exercises list --lesson 13` 列出本课的练习；
# `python -m tinygrad_cn.exercises start 13.1 --dir 我的练习` 开始第一道，改好后
# `python -m tinygrad_cn.exercises check 13.1 --dir 我的练习` 检查。
#
# - 13.1 ★ 每一步单独的梯度：在循环里清零；
# - 13.2 ★★ 手写反向扫描：节点用了两次时的 `+=`（用 `=` 会在共享节点的图上出错）；
# - 13.3 ★ 用 `detach()` 造一个“值是 w²、梯度是 w”的函数。
