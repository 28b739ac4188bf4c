"""Symbolic differentiation by the rules of calculus, written by hand on purpose (the paper-and-pencil
side that tutorial 03 sets beside automatic differentiation; tests/test_symbolic.py checks each rule
against its primitive's row), and simplification to the polynomial normal form of eqs. 5.60–5.61."""
from ...core.tensor import Tensor
from .expr import SUPPORTED, Expr, as_expr, const, convert, postorder, to_string

__all__ = ["diff", "derivative", "simplify"]


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
    return any(n.op == "var" and n.value == name for n in postorder(e))


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
    for e in postorder(expr):
        d[id(e)] = _rule(e, [d[id(a)] for a in e.args], wrt, B)
    return d[id(expr)]


def derivative(f, wrt, fold=True):
    """The symbolic derivative ∂f/∂wrt as an expression tree (print it with ``str``).

    ``f``: a tensor (its recorded graph is written as a formula first) or an ``Expr``; ``wrt``: a
    leaf tensor of that graph, or a variable name. ``fold=False`` applies the rules with no
    simplification at all (0·u and 1·u stay)."""
    if isinstance(f, Tensor):
        expr, names, _ = convert(f)
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
    expr = as_expr(expr)
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

