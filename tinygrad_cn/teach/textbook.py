"""NNDL §5.4's worked example (published §4.5.3): f(x; w, b) = σ(wx + b), fig. 5.8, eqs. 5.62–5.79."""
from types import SimpleNamespace

from ..core import ops
from ..core.tensor import Tensor


def sigmoid_example(x=1.0, w=0.0, b=0.0):
    """Build f(x; w, b) = 1/(exp(−(wx + b)) + 1) (eq. 5.63) from elementary ops, named as in fig. 5.8:
    h1 = w·x, h2 = h1 + b, h3 = −h2, h4 = exp(h3), h5 = h4 + 1, h6 = 1/h5, f = h6.

    ``w`` and ``b`` require grad (the parameters); ``x`` is an input. Returns a namespace with every
    node. At x = 1, w = 0, b = 0 the book gets f = 0.5 and ∂f/∂w = ∂f/∂b = 0.25 (eq. 5.68).
    """
    x = Tensor(x, name="x")
    w = Tensor(w, requires_grad=True, name="w")
    b = Tensor(b, requires_grad=True, name="b")
    h1 = (w * x).named("h1")
    h2 = (h1 + b).named("h2")
    h3 = (-h2).named("h3")
    h4 = ops.exp(h3).named("h4")
    h5 = (h4 + 1).named("h5")
    h6 = (1 / h5).named("h6")
    f = ops.identity(h6).named("f")     # the book names the output f = h6 (∂f/∂h6 = 1, eq. 5.75)
    return SimpleNamespace(x=x, w=w, b=b, h1=h1, h2=h2, h3=h3, h4=h4, h5=h5, h6=h6, f=f)
