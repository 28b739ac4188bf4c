"""练习 01.3 ★★★ 给 σ 写一条自己的求导规则，让 check_grad 来判（教程 01、03；NNDL 表 5.1）

一个基本运算（tg.Primitive）要两条规则：
  - vjp(g, out, a)：反向模式，把输出的梯度 g 传回输入：g · σ′(a)
  - jvp(t, out, a)：前向模式，把输入的切向量 t 推到输出：σ′(a) · t
out 就是 σ(a) 本身，σ′(a) = σ(a)(1 − σ(a)) 可以直接用 out 写。规则要用张量运算（+、−、*）写，
不要用 .data 或 NumPy：检查连二阶导数也核对（order=2），从 .data 造出来的常数不能再求导。
检查用 tg.check_grad：哪条规则错了，它会点出那个节点和那条规则。
"""


def sigmoid_vjp(g, out, a):
    # >>>
    return g * out * (1 - out)
    # <<<


def sigmoid_jvp(t, out, a):
    # >>>
    return t * out * (1 - out)
    # <<<
