"""练习 03.2 ★★ 给 f(a) = a·sin a 写两条规则，过 check_grad（教程 03 第 4 节）

教程 03 里有一条故意写错的规则。这回由你来写：f′(a) = ?（乘积法则）
  - vjp(g, out, a)：反向模式，返回 g · f′(a)
  - jvp(t, out, a)：前向模式，返回 f′(a) · t
用张量运算写（tg.sin、tg.cos、*、+），不要用 .data 或 NumPy：检查还核对二阶导数（order=2）。
检查用 tg.check_grad(…, order=2)：哪条规则错了，它会点出那个节点和那条规则。
"""
import tinygrad_cn as tg


def a_sin_a_vjp(g, out, a):
    # >>>
    return g * (tg.sin(a) + a * tg.cos(a))
    # <<<


def a_sin_a_jvp(t, out, a):
    # >>>
    return t * (tg.sin(a) + a * tg.cos(a))
    # <<<
