"""An MLP seen layer by layer, for the backpropagation lesson (NNDL §5.3, algorithm 5.1): the engine's
z⁽ˡ⁾ and a⁽ˡ⁾ kept with their gradients, and the book's superscripts."""
from ...core.tensor import Tensor
from ...nn.layers import Linear

__all__ = ["sup", "engine_forward"]

_SUP = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def sup(l):
    """The layer index as the book writes it: sup(2) == '⁽²⁾'."""
    return "⁽" + str(l).translate(_SUP) + "⁾"


def engine_forward(x, net):
    """Run ``net`` (an iterable of modules) module by module on ``x``. Returns (output, z, a): z[l] is
    the output of the l-th Linear (z[0] is None), a[l] that of the l-th activation (a[0] is the input);
    every z and a is named ("z1", "a1", …) and keeps its gradient (``retain_grad``), so after
    ``backward()`` z[l].grad is the error term δ⁽ˡ⁾ = ∂L/∂z⁽ˡ⁾ (eq. 5.45)."""
    h = x if isinstance(x, Tensor) else Tensor(x, name="x")
    zs, acts = [None], [h]
    for m in net:
        h = m(h)
        if isinstance(m, Linear):
            zs.append(h.named(f"z{len(zs)}").retain_grad())
        else:
            acts.append(h.named(f"a{len(acts)}").retain_grad())
    return h, zs, acts
