"""练习 14.2 ★★ 写一个拓扑序（教程 14 第 3 节）

写 topo_order(out)：返回一个列表，包含 out 所依赖的全部节点（沿 requires_grad 的输入往回找，out 自己也算），
每个节点都排在它的所有输入之后（“输入在前”）。节点的输入是 node.inputs；叶子的 node.inputs 是空的。
检查会把你的顺序交给引擎的反向扫描 reverse_sweep(order, ...)，它倒着走这个列表；
在菱形图上，顺序不对，梯度就会算错。提示：深度优先搜索，一个节点的输入都排好了再排它自己。
"""


def topo_order(out):
    # >>>
    order, done = [], set()
    stack = [(out, False)]
    while stack:
        node, inputs_done = stack.pop()
        if inputs_done:
            order.append(node)
            continue
        if id(node) in done:
            continue
        done.add(id(node))
        stack.append((node, True))                   # after its inputs
        for inp in node.inputs:
            if inp.requires_grad and id(inp) not in done:
                stack.append((inp, False))
    return order
    # <<<
