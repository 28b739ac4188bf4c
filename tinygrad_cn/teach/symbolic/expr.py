"""Expression trees: building, walking without recursion, converting a recorded graph into a
formula, measuring, evaluating and printing them (operators and names from the primitives' rows)."""
import math

import numpy as np

from ...core.graph import node_names, toposort
from ...core.primitive import PRIMITIVES
from ...core.tensor import Tensor

__all__ = ["Expr", "var", "const", "func", "postorder", "as_expr", "convert", "to_expr", "expression",
           "variables", "size", "evaluate", "to_string", "graph_size", "to_sympy", "SUPPORTED"]


def _code(op):
    n = PRIMITIVES[op].notation
    return n.code if n.code is not None else n.symbol + "({0})"


# op name -> printed function name (the unary functions), and operator (the binary ones): the
# code forms of the rows, e.g. "σ({0})" -> "σ", "{0}**{1}" -> "**"
_FUNCS = {op: _code(op).split("(")[0] for op in ("exp", "log", "sqrt", "sin", "cos", "tanh", "sigmoid")}
_BINARY = {op: _code(op).format("", "").strip() for op in ("add", "sub", "mul", "div", "pow")}
SUPPORTED = ("add", "sub", "mul", "div", "neg", "pow", "exp", "log", "sqrt", "sin", "cos", "tanh",
             "sigmoid", "identity")


class Expr:
    """A node of an expression tree: ``op`` is "var" (``value`` = its name), "const" (``value`` =
    the number), or an operation in ``SUPPORTED`` with its operands in ``args``.

    Expressions combine with + - * / ** and unary -, and print as formulas (``str``)."""

    __slots__ = ("op", "args", "value")

    def __init__(self, op, args=(), value=None):
        self.op, self.args, self.value = op, tuple(args), value

    def __str__(self):
        return to_string(self)

    def __repr__(self):
        return f"Expr({to_string(self, max_chars=200)!r})"

    def __add__(self, o): return _mk("add", self, _lift(o))
    def __radd__(self, o): return _mk("add", _lift(o), self)
    def __sub__(self, o): return _mk("sub", self, _lift(o))
    def __rsub__(self, o): return _mk("sub", _lift(o), self)
    def __mul__(self, o): return _mk("mul", self, _lift(o))
    def __rmul__(self, o): return _mk("mul", _lift(o), self)
    def __truediv__(self, o): return _mk("div", self, _lift(o))
    def __rtruediv__(self, o): return _mk("div", _lift(o), self)
    def __pow__(self, o): return _mk("pow", self, _lift(o))
    def __neg__(self): return _mk("neg", self)


def var(name):
    """A variable (a symbol)."""
    return Expr("var", value=str(name))


def const(value):
    """A constant. Scalars are stored as Python floats."""
    arr = np.asarray(value)
    return Expr("const", value=float(arr) if arr.size == 1 and arr.ndim == 0 else arr)


def _lift(o):
    return o if isinstance(o, Expr) else const(o)


def _mk(op, *args):
    return Expr(op, args)


def func(name, arg):
    """``func("exp", e)``: one of the unary functions exp, log, sqrt, sin, cos, tanh, sigmoid."""
    if name not in _FUNCS:
        raise ValueError(f"symbolic: unknown function {name!r}; known: {', '.join(_FUNCS)}")
    return Expr(name, (arg,))


# ---- walking trees without recursion ----------------------------------------------------------
def postorder(root):
    """The distinct Expr objects under ``root`` (by identity), operands before their users."""
    order, seen, stack = [], set(), [(root, False)]
    while stack:
        e, done = stack.pop()
        if done:
            order.append(e)
            continue
        if id(e) in seen:
            continue
        seen.add(id(e))
        stack.append((e, True))
        for a in e.args:
            if id(a) not in seen:
                stack.append((a, False))
    return order


def as_expr(f):
    return to_expr(f) if isinstance(f, Tensor) else f


# ---- from the recorded graph to a formula -----------------------------------------------------
def convert(out):
    """(Expr of ``out``, {id(leaf tensor): variable name}, {variable name: leaf tensor}). Unnamed
    leaves that require grad get the names the step tables and drawings give them (``node_names``);
    other unnamed leaves are constants."""
    order = toposort([out], constants=True, swept_ok=True)
    auto = node_names(order)
    exprs, names, owner = {}, {}, {}
    for node in order:
        if node.prim is None:
            if node.name is None and not node.requires_grad:
                exprs[id(node)] = const(node.data)
                continue
            name = auto[id(node)]
            if name in owner and owner[name] is not node:
                raise ValueError(f"symbolic: two different leaf tensors are both named {name!r}; a "
                                 "formula cannot tell them apart, so give them different names")
            owner[name] = node
            names[id(node)] = name
            exprs[id(node)] = var(name)
            continue
        op = node.prim.name
        args = [exprs[id(i)] for i in node.inputs]
        if op == "identity":
            exprs[id(node)] = args[0]
        elif op in _BINARY or op == "neg" or op in _FUNCS:
            exprs[id(node)] = Expr(op, args)
        else:
            who = f" (the node named {node.name!r})" if node.name else ""
            raise NotImplementedError(
                f"symbolic: no symbolic rule for the primitive {op!r}{who}; tinygrad_cn.teach.symbolic handles "
                f"{', '.join(SUPPORTED)} (scalar formulas). Use automatic differentiation "
                "(backward, tg.grad) for this graph.")
    return exprs[id(out)], names, owner


def to_expr(out):
    """The recorded graph of tensor ``out`` as an expression tree (an ``Expr``)."""
    return convert(out)[0]


def expression(out):
    """The function that computed tensor ``out``, as a formula string, e.g. for NNDL's σ(wx + b)
    built from primitives (eq. 5.63): ``'1/(exp(-(w*x + b)) + 1)'``."""
    return to_string(to_expr(out))


def variables(out):
    """{name: value} of the variables (named leaves, and unnamed ones that require grad) of the
    graph of ``out``: the values to ``evaluate`` its formulas at."""
    return {name: (leaf.data.item() if leaf.ndim == 0 else leaf.data)
            for name, leaf in convert(out)[2].items()}


# ---- measuring, evaluating, printing ----------------------------------------------------------
def size(expr, distinct=False):
    """The number of nodes of the expression tree (a leaf counts 1), every repeated subexpression
    counted each time it is written; with ``distinct=True`` the number of different
    subexpressions (what remains if common subexpressions are shared). Accepts a tensor too."""
    expr = as_expr(expr)
    if distinct:
        codes, table = {}, {}          # structural key -> a small int (hash-consing)
        for e in postorder(expr):
            if e.op == "const":
                k = ("const", e.value if isinstance(e.value, float) else id(e.value))
            else:
                k = (e.op, e.value, tuple(codes[id(a)] for a in e.args))
            codes[id(e)] = table.setdefault(k, len(table))
        return len(table)
    n = {}
    for e in postorder(expr):
        n[id(e)] = 1 + sum(n[id(a)] for a in e.args)
    return n[id(expr)]


def _sigmoid(a):
    return PRIMITIVES["sigmoid"].forward(np.asarray(a, dtype=np.float64))


_NUMPY = {"exp": np.exp, "log": np.log, "sqrt": np.sqrt, "sin": np.sin, "cos": np.cos,
          "tanh": np.tanh, "sigmoid": _sigmoid, "neg": np.negative, "add": np.add,
          "sub": np.subtract, "mul": np.multiply, "div": np.divide, "pow": np.power}


def evaluate(expr, env=None, **values):
    """The value of the expression with its variables set from ``env`` (a dict name -> number or
    array) and keyword arguments: ``evaluate(d, {"x": 1.0})`` or ``evaluate(d, x=1.0)``."""
    expr = as_expr(expr)
    env = dict(env or {}, **values)
    val = {}
    for e in postorder(expr):
        if e.op == "var":
            if e.value not in env:
                raise KeyError(f"symbolic.evaluate: no value for the variable {e.value!r}; give it, "
                               f"e.g. evaluate(expr, {{{e.value!r}: 1.0}})")
            val[id(e)] = np.asarray(env[e.value], dtype=np.float64)
        elif e.op == "const":
            val[id(e)] = np.asarray(e.value, dtype=np.float64)
        else:
            val[id(e)] = _NUMPY[e.op](*[val[id(a)] for a in e.args])
    out = val[id(expr)]
    return float(out) if out.ndim == 0 else out


# precedence: the tighter an operation binds, the higher (the rows' notation)
_PREC = {op: PRIMITIVES[op].notation.prec for op in ("add", "sub", "mul", "div", "neg", "pow")}
_ATOM = 5


def _fmt_const(v):
    if not isinstance(v, float):
        return f"array{list(np.shape(v))}"
    if math.isfinite(v) and v == int(v) and abs(v) < 1e15:
        return str(int(v))
    return repr(v)


def _prec(e):
    if e.op == "const":
        return 3 if isinstance(e.value, float) and (e.value < 0 or math.copysign(1, e.value) < 0) \
            else _ATOM
    return _PREC.get(e.op, _ATOM)


def to_string(expr, max_chars=None):
    """The formula, in Python syntax (σ for sigmoid): ``+ - * / **`` and function calls, with only
    the parentheses needed. ``max_chars`` cuts a long formula, marking the cut with '…'."""
    expr = as_expr(expr)
    s = {}
    for e in postorder(expr):
        op = e.op
        if op == "var":
            s[id(e)] = e.value
        elif op == "const":
            s[id(e)] = _fmt_const(e.value)
        elif op in _FUNCS:
            s[id(e)] = f"{_FUNCS[op]}({s[id(e.args[0])]})"
        elif op == "neg":
            a = e.args[0]
            s[id(e)] = "-" + _paren(s[id(a)], _prec(a) <= 3)
        else:
            a, b = e.args
            p, pa, pb = _PREC[op], _prec(a), _prec(b)
            sa, sb = s[id(a)], s[id(b)]
            if op == "pow":
                left = _paren(sa, pa <= p)              # (−x)**2, (x**2)**3, (a*b)**2
                right = _paren(sb, pb < _ATOM)
            else:
                left = _paren(sa, pa < p)
                # the right operand: a − (b + c), a/(b*c), a*(b/c), a + (−b), a*(−b)
                right = _paren(sb, pb < p or (pb == p and op != "add" and not (op == "mul" and b.op == "mul"))
                               or pb == 3)
            sep = f" {_BINARY[op]} " if p == 1 else _BINARY[op]
            s[id(e)] = left + sep + right
        if max_chars is not None and len(s[id(e)]) > 4 * max_chars + 100:
            s[id(e)] = s[id(e)][:4 * max_chars + 100]      # the rest would be cut anyway
    out = s[id(expr)]
    if max_chars is not None and len(out) > max_chars:
        out = out[:max_chars - 1] + "…"
    return out


def _paren(text, needed):
    return f"({text})" if needed else text


# ---- the other side: the recorded graph ---------------------------------------------------------
def graph_size(*tensors):
    """The number of nodes (operations, variables and constants) in the recorded graph that
    computes ``tensors``: each value is counted once, however often it is used. For a gradient
    recorded with ``backward(create_graph=True)`` this is the forward pass plus the reverse sweep."""
    return len(toposort(list(tensors), constants=True, swept_ok=True))


# ---- optional: sympy ------------------------------------------------------------------------------
def to_sympy(expr, symbols=None):
    """The expression as a sympy expression (sympy is optional: ImportError without it).
    ``symbols``: a dict name -> sympy Symbol to reuse (made as needed otherwise)."""
    import sympy
    expr = as_expr(expr)
    symbols = {} if symbols is None else symbols
    fns = {"exp": sympy.exp, "log": sympy.log, "sqrt": sympy.sqrt, "sin": sympy.sin,
           "cos": sympy.cos, "tanh": sympy.tanh, "sigmoid": lambda u: 1 / (1 + sympy.exp(-u))}
    val = {}
    for e in postorder(expr):
        a = [val[id(x)] for x in e.args]
        if e.op == "var":
            v = symbols.setdefault(e.value, sympy.Symbol(e.value))
        elif e.op == "const":
            if not isinstance(e.value, float):
                raise ValueError("symbolic.to_sympy: array constants have no sympy form")
            v = sympy.Integer(int(e.value)) if e.value == int(e.value) else sympy.Float(e.value)
        elif e.op in fns:
            v = fns[e.op](a[0])
        elif e.op == "neg":
            v = -a[0]
        else:
            v = {"add": lambda p, q: p + q, "sub": lambda p, q: p - q, "mul": lambda p, q: p * q,
                 "div": lambda p, q: p / q, "pow": lambda p, q: p ** q}[e.op](*a)
        val[id(e)] = v
    return val[id(expr)]
