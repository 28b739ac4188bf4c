"""练习 03.1 ★ 中心差分（教程 03；NNDL 公式 5.59）

数值微分把导数定义里的极限去掉，取一个小步长 Δx。写 central_difference(f, x, dx)：
用公式 (5.59) 近似 f′(x)。f 是一个普通的 Python 函数（吃一个浮点数，返回一个浮点数）。
检查会用几个知道导数的函数来量你的误差：中心差分的截断误差是 O(Δx²)。
"""


def central_difference(f, x, dx):
    # >>>
    return (f(x + dx) - f(x - dx)) / (2 * dx)
    # <<<
