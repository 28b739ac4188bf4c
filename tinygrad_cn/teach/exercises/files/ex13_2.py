"""练习 13.2 ★★ 手写反向扫描：一个节点用了两次（教程 13 第 1 节；NNDL 公式 5.75–5.79）

引擎记录下来的每个节点有 node.prim（它的基本运算）、node.inputs（输入节点）、node.params；
运算对第 i 个输入的 vjp 规则是 node.prim.vjp[i]，调用方式是 rule(g, node, *node.inputs, **node.params)，
g 是 ∂out/∂node（一个张量），返回这条边传给输入 i 的贡献。toposort([out]) 给出“输入在前”的顺序。

写 gradients(out)：返回字典 {id(节点): ∂out/∂节点（NumPy 数组）}，图里每个节点（叶子也算）都要有。
检查会用几张图，其中有的节点被用了不止一次（x · x + x、菱形 a = 2x, b = 3a, c = a + b）。
"""
import numpy as np

import tinygrad_cn as tg
from tinygrad_cn.core.graph import toposort


def gradients(out):
    grads = {id(out): np.ones(out.shape)}
    for node in reversed(toposort([out])):            # the output first, every consumer before its inputs
        if node.prim is None:                          # a leaf: nothing to pass on
            continue
        g = tg.Tensor(grads[id(node)])
        for i, inp in enumerate(node.inputs):
            if not inp.requires_grad:
                continue
            contribution = node.prim.vjp[i](g, node, *node.inputs, **node.params).numpy()
            # >>>
            if id(inp) in grads:
                grads[id(inp)] = grads[id(inp)] + contribution     # another edge into inp: add
            else:
                grads[id(inp)] = contribution
            # <<<
    return grads
