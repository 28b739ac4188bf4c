# %% [markdown]
# # 教程 14：Python 的 if 和 for 搭出计算图；反向扫描为什么要按拓扑序
#
# 计算图不是事先画好的：程序**运行**到哪一步，引擎就记录哪一步。一个 `for` 循环跑 n 次就留下 n 个节点，
# 一个 `if` 走哪个分支，图里就只有那个分支。第二件事：反向扫描必须保证一个节点的所有“消费者”
# （用到它的节点）都把贡献传回来之后，才能再往下传——顺序错了，答案就错，下面用引擎自己的扫描演示。
#
# 先读：教程 01（计算图、反向模式），教程 13（节点用了两次时贡献相加）。

# %%
import tinygrad_cn as tg
from tinygrad_cn.core.graph import node_names, toposort
from tinygrad_cn.core.sweeps import reverse_sweep

# %% [markdown]
# ## 1. 边运行边记录：静态图与动态图
#
# NNDL（邱锡鹏 2020）§5.4 末尾（出版版 §4.5.3）说，自动微分“无需事先编译，在程序运行阶段边计算边记录计算图”；
# 出版版把两种做法分别叫作**静态计算图**（先把整张图定义好、编译，再送数据进去）和**动态计算图**（运行时搭建）。
# tinygrad_cn 是动态的：下面的 `power` 是普通的 Python 函数，循环跑几次，图里就有几个乘法。

# %%
def power(x, n):
    """x**n by repeated multiplication: one mul node per pass of the loop."""
    y = x
    for _ in range(n - 1):
        y = y * x
    return y


def ops_in(out):
    """The recorded op nodes that ``out`` depends on."""
    return [t for t in toposort([out], swept_ok=True) if t.prim is not None]

# %% [predict] tol=0.5
# 先想一想：power(x, 5) 的计算图里有几个乘法节点？
x = tg.Tensor(1.5, requires_grad=True, name="x")
y5 = power(x, 5)
answer = len(ops_in(y5))

# %%
y5.backward()
print(f"power(x, 5) = {y5.item():g}，图里 {answer} 个 mul 节点；∂y/∂x = {x.grad.item():g}（5x⁴ = {5 * 1.5 ** 4:g}）")
assert answer == 4 and all(t.op == "mul" for t in ops_in(y5))
assert abs(x.grad.item() - 5 * 1.5 ** 4) < 1e-12
# x feeds every one of the 4 multiplications (and is the first factor of the first): 5 edges into x
assert sum(inp is x for t in ops_in(y5) for inp in t.inputs) == 5

# %% [markdown]
# x 被 4 个乘法用了 5 次（第一个乘法是 x · x），所以 ∂y/∂x 是 5 条边的贡献之和——教程 13 的“相加”。
#
# ## 2. `if`：走哪个分支，图里就只有哪个分支
#
# 下面的 f 在 x > 0 时算 x²，否则算 −3x。条件 `x.item() > 0` 是一个普通的 Python 布尔值，
# 它不进计算图；进图的只有被执行的那一支。

# %%
def piecewise(x):
    if x.item() > 0:
        return x * x
    return x * -3.0


for value in (2.0, -2.0):
    x = tg.Tensor(value, requires_grad=True, name="x")
    f = piecewise(x)
    f.backward()
    print(f"x = {value:+g}：图里的运算 {[t.op for t in ops_in(f)]}，f = {f.item():g}，∂f/∂x = {x.grad.item():g}")
    assert x.grad.item() == (2 * value if value > 0 else -3.0)

# %% [markdown]
# 每次调用都重新记录一张图，所以同一个函数在不同的输入上可以有不同形状的图（循环次数随数据变、
# 递归、提前 `break`）。代价是：每一步都要重新记录；静态图则可以先把整张图优化、编译好（教程 12 的 `tg.jit`
# 就是把一次记录下来的图编译成 NumPy 代码——它只对“图的形状不随数据变”的函数成立）。
#
# ## 3. 反向扫描为什么要按拓扑序
#
# 一个菱形：a = 2x，b = 3a，c = a + b。a 有两个消费者：b 和 c。
# 反向扫描处理 a 时，要把 ∂c/∂a 的**全部**贡献（经 c 的和经 b 的）都收齐，才能乘上 ∂a/∂x 传给 x。

# %% [predict] tol=1e-9
# 先想一想：x = 1 时，∂c/∂x 是多少？
x = tg.Tensor(1.0, requires_grad=True, name="x")
a = (x * 2.0).named("a")
b = (a * 3.0).named("b")
c = (a + b).named("c")
c.backward(retain_graph=True)
answer = x.grad.item()

# %% [markdown]
# `toposort` 给出的顺序保证“输入在前，用到它的节点在后”；反向扫描把它倒过来走，
# 于是每个节点都在它所有的消费者之后才被处理。换一个“看起来也合理”的顺序：从 c 出发按层（广度优先）
# 往回找——c，然后 c 的输入 a、b，然后 x。这个顺序让 a 排在 b 之前被处理，可 b 也是 a 的消费者。

# %%
def breadth_first(out):
    """Nodes found layer by layer from ``out`` (a naive order), returned inputs-first like toposort."""
    found, queue, k = [out], [out], 0
    while k < len(queue):
        for inp in queue[k].inputs:
            if inp.requires_grad and all(inp is not t for t in found):
                found.append(inp)
                queue.append(inp)
        k += 1
    return found[::-1]


names = node_names(c)
good, naive = toposort([c]), breadth_first(c)
seed = {id(c): tg.Tensor(1.0)}
right = reverse_sweep(good, dict(seed))[id(x)].item()
wrong = reverse_sweep(naive, dict(seed))[id(x)].item()
print("拓扑序（反向扫描倒着走）:", [names[id(t)] for t in good], "→ ∂c/∂x =", right)
print("广度优先（同样倒着走）:  ", [names[id(t)] for t in naive], "→ ∂c/∂x =", wrong)
assert right == answer == 8.0 and wrong == 2.0

# %% [markdown]
# 广度优先的顺序里 a 在 b 之前被处理：那时 a 只收到了经 c 来的贡献 ∂c/∂a = 1，就把 1 × 2 传给了 x；
# 经 b 来的 3 后到，加在 a 上，却再也没有人把它传下去。拓扑序下 a 在 b 之后，收齐 1 + 3 = 4，传给 x 的是 4 × 2。
# 练习 14.2 让你自己写一个拓扑序，并用引擎的扫描来检验它。

# %%
(row_a,) = [s for s in tg.trace.reverse_steps(c) if s.node == "a"]
print("a 的两条边:", {t.other: t.product for t in row_a.terms}, "→ 收齐的 ∂c/∂a =", row_a.total)
assert {t.other: t.product for t in row_a.terms} == {"b": 3.0, "c": 1.0}
assert row_a.total == 4.0 and right == row_a.total * 2.0 and wrong == 1.0 * 2.0

# %% [markdown]
# ## 小结
#
# - 计算图是运行时记录的（动态图）：`for` 跑几次就有几个节点，`if` 只留下走过的分支；条件本身不在图里。
# - 反向扫描的顺序必须是拓扑序倒过来：一个节点在它所有消费者之后才被处理，否则后到的贡献就丢了。
#   `toposort` 用深度优先搜索得到这个顺序（不用递归，十万个运算的链也行）。
#
# ## 练习（会自己检查）
#
# `python -m tinygrad_cn.exercises list --lesson 14`；开始一道：`python -m tinygrad_cn.exercises start 14.1 --dir 我的练习`。
#
# - 14.1 ★ 用 for 循环搭出 xⁿ，图里要正好有 n − 1 个乘法；
# - 14.2 ★★ 写一个拓扑序，交给引擎的反向扫描：菱形图上顺序不对就会算错。
