"""The symbolic-derivative printer (NNDL §5.4, eqs. 5.60–5.61, fig. 5.7; published §4.5.2): formulas
from recorded graphs, derivatives by the rules of calculus checked against the engine and against
calculus, and expression swell (tree size super-linear in depth, recorded gradient graph linear)."""
import math

import numpy as np
import pytest

import tinygrad_cn as tg
from tinygrad_cn import symbolic
from tinygrad_cn.teach.textbook import sigmoid_example


def _leaf(v, name="x"):
    return tg.Tensor(v, requires_grad=True, name=name)


def _engine_grad(fn, v):
    return tg.grad(lambda t: fn(t.named("x")))(v).item()


# ---- formulas ---------------------------------------------------------------------------------
def test_textbook_sigmoid_graph_prints_as_eq_5_63():
    g = sigmoid_example(x=1.0, w=0.0, b=0.0)
    assert symbolic.expression(g.f) == "1/(exp(-(w*x + b)) + 1)"
    assert symbolic.variables(g.f) == {"x": 1.0, "w": 0.0, "b": 0.0}


def test_textbook_sigmoid_derivatives_are_eq_5_68():
    g = sigmoid_example(x=1.0, w=0.0, b=0.0)
    dw, db = symbolic.derivative(g.f, g.w), symbolic.derivative(g.f, g.b)
    env = symbolic.variables(g.f)
    assert symbolic.evaluate(dw, env) == 0.25 == symbolic.evaluate(db, env)
    g.f.backward()
    assert symbolic.evaluate(dw, env) == g.w.grad.item()
    # another point: against σ'(u)·x with u = wx + b
    g = sigmoid_example(x=2.0, w=0.5, b=-1.5)
    s = 1 / (1 + math.exp(-(0.5 * 2.0 - 1.5)))
    assert symbolic.evaluate(symbolic.derivative(g.f, "w"), symbolic.variables(g.f)) == \
        pytest.approx(s * (1 - s) * 2.0, rel=1e-14)


def test_unnamed_leaves_get_the_names_of_the_tables_whatever_the_operand_order():
    a = tg.Tensor(2.0, requires_grad=True)                 # unnamed
    b = tg.Tensor(3.0, requires_grad=True, name="x1")      # takes the first automatic leaf name
    assert symbolic.expression(a * b) == "x2*x1"
    assert symbolic.expression(b * a) == "x1*x2"
    assert symbolic.variables(b * a) == {"x1": 3.0, "x2": 2.0}
    c = tg.Tensor(1.0, requires_grad=True)
    f = (a * 3) * c
    names = tg.core.graph.node_names(f)
    assert symbolic.expression(f) == f"{names[id(a)]}*3*{names[id(c)]}"


def test_eq_5_60_simplifies_to_eq_5_61():
    x = _leaf(2.0)
    f = 3 * x - x + 2 * x + 1
    assert symbolic.expression(f) == "3*x - x + 2*x + 1"
    assert str(symbolic.simplify(f)) == "4*x + 1"
    X = symbolic.var("x")
    assert str(symbolic.simplify((X + 1) ** 2 - X ** 2)) == "2*x + 1"
    assert str(symbolic.simplify(X - X)) == "0"


def test_printing_is_python_with_minimal_parentheses():
    X, Y = symbolic.var("x"), symbolic.var("y")
    cases = {
        X - (Y + 1): "x - (y + 1)",
        (X - Y) + 1: "x - y + 1",
        X / (Y * 2): "x/(y*2)",
        X * (Y / 2): "x*(y/2)",
        (-X) ** 2: "(-x)**2",
        -(X ** 2): "-x**2",
        X ** -1.0: "x**(-1)",
        X * -Y: "x*(-y)",
        -(-X): "-(-x)",  # noqa: B002  (a double negation, written out on purpose)
        X + 0.5: "x + 0.5",
    }
    for e, text in cases.items():
        assert str(e) == text


@pytest.mark.parametrize("build", [
    lambda x: x * tg.sin(x) * tg.exp(x),
    lambda x: 1 / (1 + tg.exp(-(x * 0.7 - 0.2))),
    lambda x: (x - 3) / (x * x + 1) - tg.cos(x) ** 3,
    lambda x: tg.tanh(-x) * tg.sqrt(x + 2) + tg.log(x * x + 1) / 2,
    lambda x: tg.sigmoid(x ** 2.5 - x) ** -1,
])
def test_printed_formula_evaluates_like_the_tree_and_the_graph(build):
    ns = {"exp": math.exp, "log": math.log, "sqrt": math.sqrt, "sin": math.sin, "cos": math.cos,
          "tanh": math.tanh, "σ": lambda u: 1 / (1 + math.exp(-u))}
    x = _leaf(1.3)
    f = build(x)
    for e in (symbolic.to_expr(f), symbolic.derivative(f, x)):
        ns["x"] = 1.3
        assert eval(str(e), ns) == pytest.approx(symbolic.evaluate(e, x=1.3), rel=1e-13)
    assert symbolic.evaluate(symbolic.to_expr(f), x=1.3) == pytest.approx(f.item(), rel=1e-14)


# ---- derivatives against calculus and against the engine ------------------------------------
CALCULUS = [
    # f, f' by hand
    (lambda x: x * tg.sin(x), lambda x: math.sin(x) + x * math.cos(x)),
    (lambda x: tg.exp(x * x), lambda x: 2 * x * math.exp(x * x)),
    (lambda x: tg.log(x) / x, lambda x: (1 - math.log(x)) / x ** 2),
    (lambda x: x ** 3 - 2 * x, lambda x: 3 * x * x - 2),
    (lambda x: tg.cos(tg.sin(x)), lambda x: -math.sin(math.sin(x)) * math.cos(x)),
    (lambda x: tg.tanh(2 * x), lambda x: 2 * (1 - math.tanh(2 * x) ** 2)),
    (lambda x: tg.sigmoid(x), lambda x: math.exp(-x) / (1 + math.exp(-x)) ** 2),
    (lambda x: tg.sqrt(x) - (-x), lambda x: 0.5 / math.sqrt(x) + 1),
]


@pytest.mark.parametrize("k", range(len(CALCULUS)))
@pytest.mark.parametrize("v", [0.4, 1.0, 2.3])
def test_symbolic_derivative_equals_calculus_and_engine(k, v):
    build, by_hand = CALCULUS[k]
    x = _leaf(v)
    d = symbolic.derivative(build(x), x)
    got = symbolic.evaluate(d, x=v)
    assert got == pytest.approx(by_hand(v), rel=1e-13, abs=1e-15)
    assert got == pytest.approx(_engine_grad(build, v), rel=1e-13, abs=1e-15)


def test_x_sin_x_prints_as_calculus_says():
    x = _leaf(1.0)
    assert str(symbolic.derivative(x * tg.sin(x), x)) == "sin(x) + x*cos(x)"
    assert str(symbolic.derivative(tg.exp(x), x)) == "exp(x)"
    assert str(symbolic.derivative(tg.cos(x), x)) == "-sin(x)"


def test_without_folding_the_rules_leave_zeros_and_ones_but_the_value_is_the_same():
    x = _leaf(0.8)
    f = x * tg.sin(x)
    raw = symbolic.derivative(f, x, fold=False)
    assert str(raw) == "1*sin(x) + x*cos(x)*1"
    assert symbolic.size(raw) > symbolic.size(symbolic.derivative(f, x))
    assert symbolic.evaluate(raw, x=0.8) == pytest.approx(math.sin(0.8) + 0.8 * math.cos(0.8), rel=1e-15)


def test_several_variables_and_derivative_of_an_expr():
    x, y = _leaf(0.5, "x"), _leaf(-1.5, "y")
    f = x * y + tg.exp(x - y)
    e = symbolic.to_expr(f)
    f.backward()
    for leaf in (x, y):
        by_name = symbolic.derivative(e, leaf.name)
        assert symbolic.evaluate(by_name, x=0.5, y=-1.5) == pytest.approx(leaf.grad.item(), rel=1e-14)
    assert symbolic.evaluate(symbolic.diff(e, "z"), x=0.5, y=-1.5) == 0     # not a variable of f


def test_unnamed_leaves_become_x1_x2_and_constants_print_as_numbers():
    a = tg.Tensor(2.0, requires_grad=True)
    c = tg.Tensor(0.25)                     # unnamed, no grad: a constant
    f = a * a * c
    assert symbolic.expression(f) == "x1*x1*0.25"
    d = symbolic.derivative(f, a)
    assert symbolic.evaluate(d, symbolic.variables(f)) == pytest.approx(1.0)


def test_named_constant_input_is_a_symbol():
    g = sigmoid_example()                   # x does not require grad but is named
    assert "x" in symbolic.expression(g.f)
    assert symbolic.evaluate(symbolic.derivative(g.f, "x"), x=1.0, w=0.0, b=0.0) == 0.0


# ---- expression swell ---------------------------------------------------------------------------
def _network(k):
    x = tg.Tensor(0.5, name="x")
    ws = [_leaf(0.9, f"w{i + 1}") for i in range(k)]
    h = x
    for w in ws:
        h = tg.sigmoid(w * h)
    return ws, h


def test_symbolic_derivative_swells_while_recorded_gradient_graph_grows_linearly():
    ks = [4, 8, 16, 32]
    sym, graph = {}, {}
    for k in ks:
        ws, f = _network(k)
        d = symbolic.derivative(f, ws[0])
        env = symbolic.variables(f)
        f.backward(create_graph=True)
        assert symbolic.evaluate(d, env) == pytest.approx(ws[0].grad.item(), rel=1e-13)
        sym[k] = symbolic.size(d)
        graph[k] = symbolic.graph_size(*[w.grad for w in ws])
    for a, b in zip(ks, ks[1:]):            # b = 2a
        assert sym[b] / sym[a] > 3.0        # ~ k²: super-linear
    per_layer = {(graph[b] - graph[a]) / (b - a) for a, b in zip(ks, ks[1:])}
    assert len(per_layer) == 1              # the same number of nodes per layer: linear
    assert graph[32] / graph[16] < 2.05     # linear (plus a constant)
    assert sym[32] > 10 * graph[32]


def test_logistic_map_formula_is_exponential_and_sharing_makes_it_linear_again():
    sizes, distinct, graph = [], [], []
    for k in range(1, 13):
        x = _leaf(0.3)
        l = x
        for _ in range(k):
            l = 4 * l * (1 - l)
        d = symbolic.derivative(l, x)
        sizes.append(symbolic.size(d))
        distinct.append(symbolic.size(d, distinct=True))
        l.backward(create_graph=True)
        graph.append(symbolic.graph_size(x.grad))
        assert symbolic.evaluate(d, x=0.3) == pytest.approx(x.grad.item(), rel=1e-12, abs=1e-12)
    assert all(b >= 2 * a for a, b in zip(sizes, sizes[1:]))          # at least doubles per step
    assert len(set(np.diff(graph))) == 1                                # constant increments
    assert len(set(np.diff(distinct[1:]))) == 1                         # CSE: linear too


def test_sizes_of_huge_trees_are_counted_without_writing_them_out():
    x = _leaf(0.3)
    l = x
    for _ in range(40):
        l = 4 * l * (1 - l)
    d = symbolic.derivative(l, x)
    assert symbolic.size(d) > 10 ** 13
    assert symbolic.size(d, distinct=True) < 400
    assert len(symbolic.to_string(symbolic.to_expr(_network(30)[1]), max_chars=40)) == 40


def test_deep_chains_need_no_recursion():
    x = _leaf(0.1)
    h = x
    for _ in range(5000):
        h = tg.sin(h)
    d = symbolic.derivative(h, x)
    assert symbolic.size(symbolic.to_expr(h)) == 5001
    assert len(symbolic.expression(h)) == 5000 * 5 + 1
    assert symbolic.evaluate(d, x=0.1) == pytest.approx(tg.grad(lambda t: _sin_chain(t, 5000))(0.1).item(),
                                                        rel=1e-12)


def _sin_chain(t, n):
    for _ in range(n):
        t = tg.sin(t)
    return t


# ---- errors -------------------------------------------------------------------------------------
def test_unsupported_primitive_is_named():
    x = _leaf(1.0)
    with pytest.raises(NotImplementedError, match="'maximum'"):
        symbolic.expression(tg.maximum(x, 0.5))
    with pytest.raises(NotImplementedError, match="'matmul'"):
        symbolic.to_expr(_leaf(np.ones((2, 2))) @ tg.Tensor(np.ones((2, 2))))


def test_pow_with_variable_exponent_is_refused_clearly():
    x = _leaf(1.5)
    with pytest.raises(NotImplementedError, match="exponent"):
        symbolic.derivative(x ** x, x)
    a = tg.Tensor(3.0, name="a")            # a symbol the derivative does not depend on: fine
    d = symbolic.derivative(x ** a, x)
    assert symbolic.evaluate(d, x=1.5, a=3.0) == pytest.approx(3 * 1.5 ** 2)


def test_missing_value_and_ambiguous_names():
    x = _leaf(1.0)
    with pytest.raises(KeyError, match="'x'"):
        symbolic.evaluate(symbolic.to_expr(x * 2), {})
    with pytest.raises(ValueError, match="both named 'x'"):
        symbolic.expression(x + _leaf(2.0))


# ---- optional sympy -----------------------------------------------------------------------------
def test_sympy_agrees_when_installed():
    sympy = pytest.importorskip("sympy")
    x = _leaf(0.7)
    f = x * tg.sin(x) * tg.exp(x) + tg.sigmoid(x) / x
    sx = sympy.Symbol("x")
    sf = symbolic.to_sympy(f, {"x": sx})
    ours = symbolic.evaluate(symbolic.derivative(f, x), x=0.7)
    assert float(sympy.diff(sf, sx).subs(sx, 0.7)) == pytest.approx(ours, rel=1e-12)


@pytest.mark.parametrize("op", [op for op in symbolic.SUPPORTED if op != "identity"])
def test_the_hand_written_rules_agree_with_the_rows(op):
    # symbolic's calculus table is written by hand (the deliberate comparison of tutorial 03); each
    # rule must give what the primitive's own jvp rule gives, for every input of the op
    row = tg.PRIMITIVES[op]
    rng = np.random.default_rng(0)
    for _ in range(5):
        arrays, _ = row.sample(rng)
        arrays = [np.asarray(a.flat[0], dtype=np.float64) for a in arrays]      # scalars
        for i in range(len(arrays)):
            if op == "pow" and i == 1:
                continue                        # symbolic's pow takes a constant exponent
            names = [f"u{k}" for k in range(len(arrays))]
            expr = symbolic.Expr(op, [symbolic.var(n) for n in names])
            by_hand = symbolic.evaluate(symbolic.diff(expr, names[i]), dict(zip(names, arrays)))
            inputs = [tg.Tensor(a) for a in arrays]
            out = row(*inputs)
            by_row = row.jvp[i](tg.Tensor(1.0), out, *inputs).item()
            assert by_hand == pytest.approx(by_row, rel=1e-12, abs=1e-14), (op, i, arrays)
