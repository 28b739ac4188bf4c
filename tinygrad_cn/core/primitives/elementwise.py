"""Elementwise primitives (inputs broadcast): arithmetic, the elementary functions, and the
kinked ones with their conventions (relu'(0) = 0, |x|'(0) = 0, a tie of maximum/minimum gives half
to each side)."""
import numpy as np

from ..primitive import Notation, Primitive
from . import sampling as S
from .masks import choose_first, equal, sign, step

__all__ = ["add", "sub", "mul", "div", "neg", "pow", "exp", "log", "sqrt", "sin", "cos", "tanh", "abs",
           "sigmoid", "sigmoid_slope", "softplus", "relu", "maximum", "minimum", "where"]


def _binary_sample(lo=-2.0, hi=2.0, b_away=False):
    def sample(rng):
        sa, sb = S.pair(rng)
        b = S.away(rng, sb) if b_away else S.reals(rng, sb, lo, hi)
        return (S.reals(rng, sa, lo, hi), b), {}
    return sample


def _unary_sample(lo=-2.0, hi=2.0, away=False):
    def sample(rng):
        shp = S.shape(rng)
        return ((S.away(rng, shp, lo, hi) if away else S.reals(rng, shp, lo, hi)),), {}
    return sample


add = Primitive("add", np.add, vjp=(lambda g, o, a, b: g, lambda g, o, a, b: g),
                jvp=(lambda t, o, a, b: t, lambda t, o, a, b: t),
                notation=Notation("+", "{0} + {1}", "{0} + {1}", 1), sample=_binary_sample(), array_rules=True)
sub = Primitive("sub", np.subtract, vjp=(lambda g, o, a, b: g, lambda g, o, a, b: -g),
                jvp=(lambda t, o, a, b: t, lambda t, o, a, b: -t),
                notation=Notation("−", "{0} − {1}", "{0} - {1}", 1, "left"), sample=_binary_sample(),
                array_rules=True)
mul = Primitive("mul", np.multiply, vjp=(lambda g, o, a, b: g * b, lambda g, o, a, b: g * a),
                jvp=(lambda t, o, a, b: t * b, lambda t, o, a, b: a * t),
                notation=Notation("×", "{0} · {1}", "{0}*{1}", 2), sample=_binary_sample(), array_rules=True)
div = Primitive("div", np.divide, vjp=(lambda g, o, a, b: g / b, lambda g, o, a, b: -g * o / b),
                jvp=(lambda t, o, a, b: t / b, lambda t, o, a, b: -t * o / b),
                notation=Notation("÷", "{0} / {1}", "{0}/{1}", 2, "left"), sample=_binary_sample(b_away=True),
                array_rules=True)
neg = Primitive("neg", np.negative, vjp=(lambda g, o, a: -g,), linear=True,
                notation=Notation("−", "−{0}", "-{0}", 3), sample=_unary_sample(), array_rules=True)


# d(aᵇ)/da = b·a^(b−1), written b·a^(b′) with b′ = b − 1, or 1 where a = b = 0 (the factor b is 0
# there): exact at a = 0 for every integer exponent, to every order (0·0⁻¹ = 0·∞ never occurs).
# d(aᵇ)/db = aᵇ ln a, with ln 1 in place of ln 0 (where aᵇ = 0 for b > 0): exact at a = 0 too.
# Products are taken in the order g·b·a^(b′), g·aᵇ·ln a.
def _pow_exponent(a, b):
    return where(equal(a, 0), where(equal(b, 0), 1, b - 1), b - 1)


def _pow_log(a):
    return log(where(equal(a, 0), 1, a))


def _pow_sample(rng):
    sa, sb = S.pair(rng)
    return (S.reals(rng, sa, 0.5, 3.0), S.reals(rng, sb, -2.0, 2.0)), {}


pow = Primitive("pow", np.power,
                vjp=(lambda g, o, a, b: g * b * a ** _pow_exponent(a, b), lambda g, o, a, b: g * o * _pow_log(a)),
                jvp=(lambda t, o, a, b: t * b * a ** _pow_exponent(a, b), lambda t, o, a, b: t * o * _pow_log(a)),
                notation=Notation("^", "{0}^{1}", "{0}**{1}", 4, "right"), sample=_pow_sample,
                convention="d(aᵇ)/db = 0 at a = 0 (ln 0 is not used)", array_rules=True)


def _near_zero(eps, a):
    """The kink of relu and abs: inputs within ``eps`` of 0."""
    return np.abs(a) <= eps


def _unary(name, forward, slope, notation, sample, **kw):
    """A primitive whose derivative is ``slope(out, a)``: vjp g·f′(a), jvp f′(a)·t."""
    return Primitive(name, forward, vjp=(lambda g, out, a: g * slope(out, a),),
                     jvp=(lambda t, out, a: t * slope(out, a),), notation=notation, sample=sample,
                     array_rules=True, **kw)


exp = _unary("exp", np.exp, lambda out, a: out, Notation("exp"), _unary_sample())
log = _unary("log", np.log, lambda out, a: 1 / a, Notation("ln", "ln {0}", "log({0})"), _unary_sample(0.5, 3.0))
sqrt = _unary("sqrt", np.sqrt, lambda out, a: 0.5 / out, Notation("√", "√{0}", "sqrt({0})"),
              _unary_sample(0.5, 3.0))
sin = _unary("sin", np.sin, lambda out, a: cos(a), Notation("sin", "sin {0}", "sin({0})"), _unary_sample(-3, 3))
cos = _unary("cos", np.cos, lambda out, a: -sin(a), Notation("cos", "cos {0}", "cos({0})"), _unary_sample(-3, 3))
tanh = _unary("tanh", np.tanh, lambda out, a: 1 - out * out, Notation("tanh"), _unary_sample())   # eq. 5.82
abs = _unary("abs", np.abs, lambda out, a: sign(a), Notation("|·|", "|{0}|", "abs({0})"),
             _unary_sample(0.1, 2.0, away=True), convention="|x|′(0) = 0", kink=_near_zero, smooth=False)


def _sigmoid_np(a):
    e = np.exp(-np.abs(a))                      # never overflows: σ(±1000) is exactly 1 or 0
    return np.where(a >= 0, 1, e) / (1 + e)


def _sigmoid_slope_np(a):
    """σ(a)·σ(−a) as ``_sigmoid_np`` computes the two factors (|−a| = |a|): one is 1/(1 + e), the
    other e/(1 + e) with e = e^{−|a|}, and a product rounds the same in either order."""
    e = np.exp(-np.abs(a))
    d = 1 + e
    return (1 / d) * (e / d)


# σ′(x) = σ(x)σ(−x) = σ(1−σ) (NNDL eq. 5.81), a row of its own so that σ's vjp is one product
# g·σ′(x): the first form keeps the slope positive up to |x| ≈ 745, where 1 − σ already rounds to
# 0 at x > 36.7. σ″ = σ′·(1 − 2σ) = σ′·tanh(−x/2), with −x written 0 − x so that σ″(0) is 0, not −0
sigmoid_slope = _unary("sigmoid_slope", _sigmoid_slope_np, lambda out, a: out * tanh((0 - a) * 0.5),
                       Notation("σ′", "σ′({0})", "σ′({0})"), _unary_sample(-4.0, 4.0))
# logistic σ(x) = 1/(1+e^{−x}) (NNDL eq. 5.4)
sigmoid = _unary("sigmoid", _sigmoid_np, lambda out, a: sigmoid_slope(a), Notation("σ", "σ({0})", "σ({0})"),
                 _unary_sample(-4.0, 4.0))
# softplus(x) = log(1 + eˣ) (NNDL eq. 5.22), computed as logaddexp(0, x); softplus′ = σ
softplus = _unary("softplus", lambda a: np.logaddexp(0, a), lambda out, a: sigmoid(a), Notation("softplus"),
                  _unary_sample(-3.0, 3.0))
# relu(x) = max(0, x) (NNDL eq. 5.17): its own primitive, as np.maximum is ~15× faster than np.where
relu = _unary("relu", lambda a: np.maximum(a, 0), lambda out, a: step(a), Notation("relu"),
              _unary_sample(0.1, 2.0, away=True), convention="relu′(0) = 0", kink=_near_zero, smooth=False)


def _selector(name, forward, larger):
    def mask(a, b):
        return choose_first(a, b, larger=larger)
    return Primitive(name, forward,
                     vjp=(lambda g, o, a, b: g * mask(a, b), lambda g, o, a, b: g * (1 - mask(a, b))),
                     jvp=(lambda t, o, a, b: t * mask(a, b), lambda t, o, a, b: t * (1 - mask(a, b))),
                     notation=Notation(name[:3]), smooth=False,
                     sample=lambda rng: ((S.distinct(rng, S.shape(rng)), S.distinct(rng, (), 0.05)), {}),
                     convention=f"at a tie of {name}(a, b) each side gets half the gradient",
                     kink=lambda eps, a, b: np.abs(a - b) <= eps, array_rules=True)


maximum = _selector("maximum", np.maximum, True)
minimum = _selector("minimum", np.minimum, False)


def _where_sample(rng):
    shp = S.shape(rng)
    return (rng.random(shp) < 0.5, S.reals(rng, shp), S.reals(rng, shp)), {}


# where(cond, a, b): the condition is an input (often a recorded comparison) that gets no gradient
where = Primitive("where", np.where,
                  vjp=(None, lambda g, o, c, a, b: where(c, g, 0), lambda g, o, c, a, b: where(c, 0, g)),
                  jvp=(None, lambda t, o, c, a, b: where(c, t, 0), lambda t, o, c, a, b: where(c, 0, t)),
                  notation=Notation("where", "{1} if {0} else {2}"), sample=_where_sample, array_rules=True)
