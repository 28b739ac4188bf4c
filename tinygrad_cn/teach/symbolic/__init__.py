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
from .calculus import derivative, diff, simplify
from .expr import (
                   SUPPORTED,
                   Expr,
                   const,
                   evaluate,
                   expression,
                   func,
                   graph_size,
                   size,
                   to_expr,
                   to_string,
                   to_sympy,
                   var,
                   variables,
)

__all__ = ["Expr", "var", "const", "func", "to_expr", "expression", "derivative", "diff", "size",
           "evaluate", "to_string", "simplify", "graph_size", "variables", "to_sympy", "SUPPORTED"]
