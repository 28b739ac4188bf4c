"""``python -m tinygrad_cn``: NNDL §5.4's σ(wx+b) example, its gradient three ways."""
import argparse

from .core.numerical import numerical_grad
from .teach.stepper.console import safe_output
from .teach.textbook import sigmoid_example
from .teach.trace import chain, forward_steps, reverse_steps


def main(argv=None):
    safe_output()                                    # a GBK or cp1252 console gets ? for what it lacks
    p = argparse.ArgumentParser(prog="python -m tinygrad_cn",
                                description="NNDL §5.4 (published §4.5.3): f(x;w,b) = σ(wx+b)")
    p.add_argument("--x", type=float, default=1.0)
    p.add_argument("--w", type=float, default=0.0)
    p.add_argument("--b", type=float, default=0.0)
    a = p.parse_args(argv)
    g = sigmoid_example(a.x, a.w, a.b)
    print("《神经网络与深度学习》§5.4 自动微分示例: f(x; w, b) = σ(wx + b) = 1/(exp(−(wx + b)) + 1)")
    print(f"x = {a.x:g}, w = {a.w:g}, b = {a.b:g}")
    print("计算图 (图 5.8): h1 = w·x, h2 = h1 + b, h3 = −h2, h4 = exp(h3), h5 = h4 + 1, h6 = 1/h5, f = h6")
    for k in ("h1", "h2", "h3", "h4", "h5", "h6", "f"):
        print(f"  {k} = {getattr(g, k).item() + 0.0:.6g}")

    (path,) = chain(g.f, g.w)
    print("\n链式法则 (公式 5.64–5.68): ∂f/∂w = " + " · ".join(f"∂{n}/∂{i}" for n, i, _ in path))
    print("  = " + " × ".join(f"{d:.6g}" for _, _, d in path))

    print("\n前向模式 (公式 5.69–5.74):")
    for s in forward_steps(g.f, g.w):
        print("  " + s.equation())
    print("\n反向模式 (公式 5.75–5.79):")
    for s in reverse_steps(g.f):
        if s.node != "f":
            print("  " + s.equation())

    g.f.backward(retain_graph=True)
    forward_w = forward_steps(g.f, g.w)[-1].total
    forward_b = forward_steps(g.f, g.b)[-1].total
    num_w, num_b = numerical_grad(lambda w, b: sigmoid_example(a.x, w, b).f, a.w, a.b)
    print("\n三种方法的梯度 (three ways):")
    rows = [("反向模式 reverse", g.w.grad.item(), g.b.grad.item(), "公式 5.75–5.79"),
            ("前向模式 forward", forward_w, forward_b, "公式 5.69–5.74"),
            ("中心差分 central", float(num_w), float(num_b), "公式 5.59, Δx = 1e-6")]
    print(f"  {'':16s} {'∂f/∂w':>14s} {'∂f/∂b':>14s}")
    for label, dw, db, eq in rows:
        print(f"  {label:{16 - 4}s} {dw:14.10f} {db:14.10f}   ({eq})")


if __name__ == "__main__":
    main()
