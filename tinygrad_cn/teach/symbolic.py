"""Symbolic differentiation, for comparison with automatic differentiation (NNDL §5.4, eqs. 5.60–5.61
and fig. 5.7; published §4.5.2).

A recorded graph is turned into a formula, an expression tree, and the formula is differentiated by
the rules of calculus, each rule producing a new tree::

    from tinygrad_cn import symbolic
    from tinygrad_cn.teach.textbook import sigmoid_example
    g = sigmoid_example()
    symbolic.expression(g.f)              # '1/(exp(-(w*x + b)) + 1)'      (eq. 5.63)
    d = symbolic.derivative(g.f, g.w)     # an Expr; str(d) is the formula of ∂f/∂w
    symbolic.size(d)                      # its number of nodes, written out as a tree
    symbolic.evaluate(d, {"x": 1, "w": 0, "b": 0})    # 0.25                   (eq. 5.68)

The derivative is a *tree*: a subexpression used twice is written out twice, as on paper, and the
product rule d(u·v) = du·v + u·dv copies u and v. That is why symbolic derivatives swell
(``size`` grows fast with the depth of the formula) while the recorded graph, where a value computed
once is used many times, and its reverse sweep grow linearly (``graph_size``). Only local
simplifications are made (``fold=True``: 0·u = 0, 1·u = u, u + 0 = u, constants folded); no common
subexpression is shared. ``size(e, distinct=True)`` counts the distinct subexpressions instead:
what sharing them (common subexpression elimination) would leave.

Leaves of the graph: a named tensor is a variable (``x``, ``w``); an unnamed tensor that requires
grad gets the name the step tables give it (``x1``, ``x2``, ...); any other leaf is a constant.
Named intermediate nodes (h1 ... h6) are written out in full. Operators and function names are
the code forms of the primitives' rows (``Primitive.notation``).

The derivative rules below (``_rule``) are written by hand, on purpose: they are the paper-and-pencil
calculus that tutorial 03 sets beside automatic differentiation, not the engine's vjp/jvp rules.
tests/test_symbolic.py checks each against its primitive's row. The primitives with rules here:
add, sub, mul, div, neg, pow (the exponent must not depend on the variable), exp, log, sqrt, sin,
cos, tanh, sigmoid, identity; any other raises NotImplementedError naming it.

All walks are iterative and remember the subtrees they have seen (by identity), so sizes of
exponentially large trees are counted in linear time; only ``to_string`` really writes them out.
"""
import math

import numpy as np

from ..core.graph import node_names, toposort
from ..core.primitive import PRIMITIVES
from ..core.tensor import Tensor

__all__ = ["Expr", "var", "const", "func", "to_expr", "expression", "derivative", "diff", "size",
           "evaluate", "to_string", "simplify", "graph_size", "variables", "to_sympy", "SUPPORTED"]



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
def _postorder(root):
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


def _as_expr(f):
    return to_expr(f) if isinstance(f, Tensor) else f


# ---- from the recorded graph to a formula -----------------------------------------------------
def _convert(out):
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
                f"symbolic: no symbolic rule for the primitive {op!r}{who}; symbolic.py handles "
                f"{', '.join(SUPPORTED)} (scalar formulas). Use automatic differentiation "
                "(backward, tg.grad) for this graph.")
    return exprs[id(out)], names, owner


def to_expr(out):
    """The recorded graph of tensor ``out`` as an expression tree (an ``Expr``)."""
    return _convert(out)[0]


def expression(out):
    """The function that computed tensor ``out``, as a formula string, e.g. for NNDL's σ(wx + b)
    built from primitives (eq. 5.63): ``'1/(exp(-(w*x + b)) + 1)'``."""
    return to_string(to_expr(out))


def variables(out):
    """{name: value} of the variables (named leaves, and unnamed ones that require grad) of the
    graph of ``out``: the values to ``evaluate`` its formulas at."""
    return {name: (leaf.data.item() if leaf.ndim == 0 else leaf.data)
            for name, leaf in _convert(out)[2].items()}


# ---- the rules of differentiation ---------------------------------------------------------------
def _is_const(e, v=None):
    if e.op != "const" or not isinstance(e.value, float):
        return False
    return v is None or e.value == v


class _Builder:
    """Makes nodes; with ``fold`` it applies the local identities (0 and 1, constant folding)."""

    def __init__(self, fold):
        self.fold = fold

    def c(self, v):
        return const(v)

    def add(self, a, b):
        if self.fold:
            if _is_const(a, 0):
                return b
            if _is_const(b, 0):
                return a
            if _is_const(a) and _is_const(b):
                return const(a.value + b.value)
            if b.op == "neg":                   # a + (−b) = a − b
                return Expr("sub", (a, b.args[0]))
        return Expr("add", (a, b))

    def sub(self, a, b):
        if self.fold:
            if _is_const(b, 0):
                return a
            if _is_const(a, 0):
                return self.neg(b)
            if _is_const(a) and _is_const(b):
                return const(a.value - b.value)
            if b.op == "neg":                   # a − (−b) = a + b
                return Expr("add", (a, b.args[0]))
        return Expr("sub", (a, b))

    def mul(self, a, b):
        if self.fold:
            if _is_const(a, 0) or _is_const(b, 0):
                return const(0.0)
            if _is_const(a, 1):
                return b
            if _is_const(b, 1):
                return a
            if _is_const(a, -1):
                return self.neg(b)
            if _is_const(b, -1):
                return self.neg(a)
            if _is_const(a) and _is_const(b):
                return const(a.value * b.value)
        return Expr("mul", (a, b))

    def div(self, a, b):
        if self.fold:
            if _is_const(a, 0):
                return const(0.0)
            if _is_const(b, 1):
                return a
            if _is_const(a) and _is_const(b) and b.value != 0:
                return const(a.value / b.value)
        return Expr("div", (a, b))

    def neg(self, a):
        if self.fold:
            if _is_const(a):
                return const(-a.value)
            if a.op == "neg":
                return a.args[0]
        return Expr("neg", (a,))

    def pow(self, a, b):
        if self.fold:
            if _is_const(b, 1):
                return a
            if _is_const(b, 0):
                return const(1.0)
        return Expr("pow", (a, b))

    def f(self, name, a):
        return Expr(name, (a,))


def _depends_on(e, name):
    return any(n.op == "var" and n.value == name for n in _postorder(e))


def _rule(e, d, wrt, B):
    """The derivative of node ``e`` from the derivatives ``d`` of its operands (calculus)."""
    op, a = e.op, e.args
    if op == "var":
        return B.c(1.0 if e.value == wrt else 0.0)
    if op == "const":
        return B.c(0.0)
    if op == "add":                                       # (u + v)' = u' + v'
        return B.add(d[0], d[1])
    if op == "sub":                                       # (u − v)' = u' − v'
        return B.sub(d[0], d[1])
    if op == "neg":
        return B.neg(d[0])
    if op == "mul":                                       # (uv)' = u'v + uv'
        return B.add(B.mul(d[0], a[1]), B.mul(a[0], d[1]))
    if op == "div":                                       # (u/v)' = (u'v − uv')/v²
        return B.div(B.sub(B.mul(d[0], a[1]), B.mul(a[0], d[1])), B.pow(a[1], B.c(2.0)))
    if op == "pow":                                       # (uᶜ)' = c·u^(c−1)·u'
        u, c = a
        if _depends_on(c, wrt):
            raise NotImplementedError(
                f"symbolic: pow with an exponent that depends on {wrt!r} ({to_string(c, 60)}) is "
                "not supported; write u**v as exp(v*log(u))")
        return B.mul(B.mul(c, B.pow(u, B.sub(c, B.c(1.0)))), d[0])
    u, du = a[0], d[0]
    if op == "exp":                                       # (eᵘ)' = eᵘ·u'
        return B.mul(B.f("exp", u), du)
    if op == "log":                                       # (log u)' = u'/u
        return B.div(du, u)
    if op == "sqrt":                                      # (√u)' = u'/(2√u)
        return B.div(du, B.mul(B.c(2.0), B.f("sqrt", u)))
    if op == "sin":                                       # (sin u)' = cos u·u'
        return B.mul(B.f("cos", u), du)
    if op == "cos":                                       # (cos u)' = −sin u·u'
        return B.mul(B.neg(B.f("sin", u)), du)
    if op == "tanh":                                      # (tanh u)' = (1 − tanh² u)·u'  (5.82)
        return B.mul(B.sub(B.c(1.0), B.pow(B.f("tanh", u), B.c(2.0))), du)
    if op == "sigmoid":                                   # σ' = σ(1 − σ)  (5.81)
        return B.mul(B.mul(B.f("sigmoid", u), B.sub(B.c(1.0), B.f("sigmoid", u))), du)
    raise NotImplementedError(f"symbolic: no rule to differentiate {op!r}; supported: "
                              f"{', '.join(SUPPORTED)}")


def diff(expr, wrt, fold=True):
    """d expr / d wrt for an ``Expr`` and a variable name, by the rules of calculus, as a tree."""
    wrt = wrt.value if isinstance(wrt, Expr) else str(wrt)
    B = _Builder(fold)
    d = {}
    for e in _postorder(expr):
        d[id(e)] = _rule(e, [d[id(a)] for a in e.args], wrt, B)
    return d[id(expr)]


def derivative(f, wrt, fold=True):
    """The symbolic derivative ∂f/∂wrt as an expression tree (print it with ``str``).

    ``f``: a tensor (its recorded graph is written as a formula first) or an ``Expr``; ``wrt``: a
    leaf tensor of that graph, or a variable name. ``fold=False`` applies the rules with no
    simplification at all (0·u and 1·u stay)."""
    if isinstance(f, Tensor):
        expr, names, _ = _convert(f)
        if isinstance(wrt, Tensor):
            if id(wrt) not in names:
                if wrt.name is None:
                    raise ValueError("symbolic.derivative: wrt is not a variable of this graph "
                                     "(is it a leaf that requires grad, used by f?)")
                wrt = wrt.name
            else:
                wrt = names[id(wrt)]
        return diff(expr, wrt, fold)
    if isinstance(wrt, Tensor):
        if wrt.name is None:
            raise ValueError("symbolic.derivative: give the variable's name (the tensor is unnamed)")
        wrt = wrt.name
    return diff(f, wrt, fold)


# ---- measuring, evaluating, printing ----------------------------------------------------------
def size(expr, distinct=False):
    """The number of nodes of the expression tree (a leaf counts 1), every repeated subexpression
    counted each time it is written; with ``distinct=True`` the number of different
    subexpressions (what remains if common subexpressions are shared). Accepts a tensor too."""
    expr = _as_expr(expr)
    if distinct:
        codes, table = {}, {}          # structural key -> a small int (hash-consing)
        for e in _postorder(expr):
            if e.op == "const":
                k = ("const", e.value if isinstance(e.value, float) else id(e.value))
            else:
                k = (e.op, e.value, tuple(codes[id(a)] for a in e.args))
            codes[id(e)] = table.setdefault(k, len(table))
        return len(table)
    n = {}
    for e in _postorder(expr):
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
    expr = _as_expr(expr)
    env = dict(env or {}, **values)
    val = {}
    for e in _postorder(expr):
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
    expr = _as_expr(expr)
    s = {}
    for e in _postorder(expr):
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


# ---- simplification: the polynomial normal form of eqs. 5.60–5.61 ----------------------------
def _key(e):
    return to_string(e)


def _poly(e, atoms):
    """{monomial: coefficient}, a monomial being a sorted tuple of (atom key, power)."""
    op = e.op
    if op == "const" and isinstance(e.value, float):
        return {(): e.value}
    if op in ("add", "sub"):
        p, q = _poly(e.args[0], atoms), _poly(e.args[1], atoms)
        sign = 1.0 if op == "add" else -1.0
        out = dict(p)
        for m, c in q.items():
            out[m] = out.get(m, 0.0) + sign * c
        return out
    if op == "neg":
        return {m: -c for m, c in _poly(e.args[0], atoms).items()}
    if op == "mul":
        return _pmul(_poly(e.args[0], atoms), _poly(e.args[1], atoms))
    if op == "div" and _is_const(e.args[1]) and e.args[1].value != 0:
        return {m: c / e.args[1].value for m, c in _poly(e.args[0], atoms).items()}
    if op == "pow" and _is_const(e.args[1]) and e.args[1].value == int(e.args[1].value) \
            and 0 <= e.args[1].value <= 16:
        out, base = {(): 1.0}, _poly(e.args[0], atoms)
        for _ in range(int(e.args[1].value)):
            out = _pmul(out, base)
        return out
    # an atom: a variable, or an operation simplified inside and then treated as a symbol
    atom = e if op in ("var", "const") else Expr(op, [simplify(a) for a in e.args])
    k = _key(atom)
    atoms.setdefault(k, atom)
    return {((k, 1),): 1.0}


def _pmul(p, q):
    out = {}
    for m1, c1 in p.items():
        for m2, c2 in q.items():
            powers = dict(m1)
            for k, n in m2:
                powers[k] = powers.get(k, 0) + n
            m = tuple(sorted(powers.items()))
            out[m] = out.get(m, 0.0) + c1 * c2
    return out


def simplify(expr):
    """Expand and collect like terms: the polynomial normal form, as in eqs. 5.60–5.61
    (3x − x + 2x + 1 → 4*x + 1). Other functions (exp, sin, ...) are simplified inside and then
    treated as symbols. For small formulas: the expansion itself can be large."""
    expr = _as_expr(expr)
    atoms = {}
    poly = {m: c for m, c in _poly(expr, atoms).items() if c != 0}
    B = _Builder(True)
    terms = sorted(poly.items(), key=lambda mc: (-sum(n for _, n in mc[0]), mc[0]))
    out = None
    for m, c in terms:
        mono = None
        for k, n in m:
            f = B.pow(atoms[k], const(float(n)))
            mono = f if mono is None else B.mul(mono, f)
        if mono is None:
            term, neg = const(abs(c)), c < 0
        else:
            term, neg = (B.mul(const(abs(c)), mono), c < 0)
        if out is None:
            out = B.neg(term) if neg else term
        else:
            out = B.sub(out, term) if neg else B.add(out, term)
    return const(0.0) if out is None else out


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
    expr = _as_expr(expr)
    symbols = {} if symbols is None else symbols
    fns = {"exp": sympy.exp, "log": sympy.log, "sqrt": sympy.sqrt, "sin": sympy.sin,
           "cos": sympy.cos, "tanh": sympy.tanh, "sigmoid": lambda u: 1 / (1 + sympy.exp(-u))}
    val = {}
    for e in _postorder(expr):
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
