"""The primitive table: one ``Primitive`` row per elementary op, in four modules by kind.
``PRIMITIVES`` maps each name to its row (a row defined in user code joins it)."""
from ..primitive import PRIMITIVES
from .elementwise import (
    abs,
    add,
    cos,
    div,
    exp,
    log,
    maximum,
    minimum,
    mul,
    neg,
    pow,
    relu,
    sigmoid,
    sigmoid_slope,
    sin,
    softplus,
    sqrt,
    sub,
    tanh,
    where,
)
from .masks import (
    choose_first,
    equal,
    extremum_share,
    greater,
    greater_equal,
    less,
    less_equal,
    not_equal,
    sign,
    step,
    stop_gradient,
)
from .reductions import logsumexp, matmul, max, min, sum
from .shapes import broadcast_to, concatenate, getitem, identity, reshape, scatter_add, sum_to, transpose

__all__ = ["PRIMITIVES", "abs", "add", "cos", "div", "exp", "log", "maximum", "minimum", "mul", "neg", "pow",
           "relu", "sigmoid", "sigmoid_slope", "sin", "softplus", "sqrt", "sub", "tanh", "where", "choose_first",
           "equal",
           "extremum_share", "greater", "greater_equal", "less", "less_equal", "not_equal", "sign", "step",
           "stop_gradient", "logsumexp", "matmul", "max", "min", "sum", "broadcast_to", "concatenate", "getitem",
           "identity", "reshape", "scatter_add", "sum_to", "transpose"]
