"""check_grad (issue 9): nothing non-finite agrees; every failing entry is listed with reverse,
forward and central values; the culprit op and rule are named; kinks are told apart from wrong
rules and the engine's convention is named; float32 inputs are checked in float32 too.

Known values are closed forms (d sin x = cos x, d log x = 1/x, relu's one-sided slopes 0 and 1)."""
import warnings

import numpy as np
import pytest

import tinygrad_cn as tg
from tinygrad_cn import Primitive
from tinygrad_cn.core import primitives as P
from tinygrad_cn.core.culprit import find_culprit, record_graph
from tinygrad_cn.core.primitives import step


def _fails(f, *xs, **kw):
    """The report of a check that must fail (GradientCheckError carries it)."""
    with pytest.raises(tg.GradientCheckError) as e:
        tg.check_grad(f, *xs, **kw)
    assert e.value.report.failures and str(e.value) == str(e.value.report)
    return e.value.report, str(e.value)


def _quiet(f, *xs, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return tg.check_grad(f, *xs, **kw)


# ---- rows with a planted bug -------------------------------------------------------------------
# sin with the vjp rule g·sin a (should be g·cos a); its jvp rule is right
wrong_vjp_sin = Primitive("cg_wrong_vjp_sin", np.sin, vjp=(lambda g, o, a: g * tg.sin(a),),
                          jvp=(lambda t, o, a: t * tg.cos(a),))
# sin with the jvp rule t·sin a; its vjp rule is right
wrong_jvp_sin = Primitive("cg_wrong_jvp_sin", np.sin, vjp=(lambda g, o, a: g * tg.cos(a),),
                          jvp=(lambda t, o, a: t * tg.sin(a),))
# exp whose vjp rule is NaN (log of a negative number): the rule, not the function, is broken
nan_vjp_exp = Primitive("cg_nan_vjp_exp", np.exp, vjp=(lambda g, o, a: g * o * tg.log(-(a * a) - 1),),
                        jvp=(lambda t, o, a: t * o,))
# sin whose rules are right in value but built from constants: not differentiable (order 2)
frozen_sin = Primitive("cg_frozen_sin", np.sin, vjp=(lambda g, o, a: g * tg.Tensor(np.cos(a.data)),),
                       jvp=(lambda t, o, a: t * tg.Tensor(np.cos(a.data)),))
# x² whose vjp rule is right in float64 but drops the factor 2 in float32
square32 = Primitive("cg_square_bug32", np.square,
                     vjp=(lambda g, o, a: g * a * (2 if a.dtype == np.float64 else 1),),
                     jvp=(lambda t, o, a: 2 * a * t,))
# relu with slope 2 on the right (should be 1)
steep_relu = Primitive("cg_steep_relu", lambda a: np.maximum(a, 0), vjp=(lambda g, o, a: 2 * g * step(a),),
                       jvp=(lambda t, o, a: 2 * t * step(a),), kink=lambda eps, a: np.abs(a) <= eps,
                       convention="steep_relu′(0) = 0")


# ---- 1. nothing non-finite ever agrees ---------------------------------------------------------
def test_a_nan_rule_fails_and_says_which_mode_and_where():
    report, msg = _fails(lambda x: nan_vjp_exp(x).sum(), np.array([0.5, 1.0]))
    assert [m.wrong for m in report.failures] == [("reverse",), ("reverse",)]
    assert all(np.isnan(m.values["reverse"]) for m in report.failures)
    np.testing.assert_allclose([m.values["forward"] for m in report.failures], np.exp([0.5, 1.0]), rtol=1e-9)
    assert "not finite (NaN/inf never agree): reverse" in msg and "∂out/∂x0[0]" in msg and "∂out/∂x0[1]" in msg
    assert report.worst[(1, 0, "reverse")] == np.inf


def test_log_at_minus_one_fails_and_names_the_op_whose_value_is_nan():
    report, msg = _fails(lambda x: tg.log(x).sum(), np.array([-1.0, 2.0]))
    assert np.isnan(report.failures[0].central) and report.failures[0].values["reverse"] == -1.0   # 1/x at −1
    assert "not finite (NaN/inf never agree): central" in msg
    assert report.culprit.node == "v1 = log(x0)" and "value is not finite" in msg


def test_sqrt_at_zero_fails_and_names_the_op_with_no_derivative_there():
    report, msg = _fails(lambda x: tg.sqrt(x).sum(), np.array([0.0, 4.0]))
    first = report.failures[0]
    assert first.entry == "∂out/∂x0[0]" and first.values["reverse"] == np.inf and np.isnan(first.central)
    assert report.culprit.node == "v1 = sqrt(x0)" and "has no derivative at its input" in msg


def test_a_nan_in_a_random_projection_fails_too():
    report, _ = _fails(lambda x: nan_vjp_exp(x).sum(), np.full(30, 0.5), max_entries=10)
    assert report.methods[1] == "projections" and all(m.wrong == ("reverse",) for m in report.failures)


# ---- 2. every failing entry, reverse, forward and central side by side ----------------------------
def test_every_failing_entry_is_listed_with_all_three_values():
    x = np.array([0.1, 0.5, 1.0])
    report, msg = _fails(lambda x: wrong_vjp_sin(x).sum(), x)
    assert [m.entry for m in report.failures] == ["∂out/∂x0[0]", "∂out/∂x0[1]", "∂out/∂x0[2]"]
    np.testing.assert_allclose([m.values["reverse"] for m in report.failures], np.sin(x), rtol=1e-12)
    np.testing.assert_allclose([m.values["forward"] for m in report.failures], np.cos(x), rtol=1e-12)
    np.testing.assert_allclose([m.central for m in report.failures], np.cos(x), rtol=1e-8)
    assert all(m.wrong == ("reverse",) for m in report.failures)
    for v in (np.sin(0.1), np.cos(0.1), np.sin(1.0), np.cos(1.0)):
        assert f"{v:.7g}" in msg


def test_a_wrong_jvp_rule_is_told_apart_from_a_wrong_vjp_rule():
    report, _ = _fails(lambda x: wrong_jvp_sin(x).sum(), np.array([0.1, 0.5, 1.0]))
    assert all(m.wrong == ("forward",) for m in report.failures)
    assert report.culprit.rules == ("jvp",)


def test_the_listing_is_bounded():
    report, msg = _fails(lambda x: wrong_vjp_sin(x).sum(), np.linspace(0.1, 1.0, 25), max_report=4)
    assert len(report.failures) == 25 and "... and 21 more" in msg and "∂out/∂x0[4]" not in msg


# ---- 3. the culprit ---------------------------------------------------------------------------
def test_the_culprit_is_the_node_whose_own_rule_is_wrong():
    # exp (v1) and 2x (v2) are right; the third op, wrong_vjp_sin of 2x, is not
    _, msg = _fails(lambda x: (tg.exp(x) * wrong_vjp_sin(x * 2)).sum(), np.array([0.1, 0.5, 1.0]))
    assert "culprit: v3 = cg_wrong_vjp_sin(v2) (shape (3,)): its vjp rule is wrong (its jvp rule agrees" in msg


def test_the_culprit_of_an_order_2_failure_is_a_rule_that_is_not_differentiable():
    x = np.array([0.3, 1.2])
    tg.check_grad(lambda x: frozen_sin(x).sum(), x)                      # first order is right
    report, msg = _fails(lambda x: tg.tanh(frozen_sin(x)).sum(), x, order=2)
    assert report.failures[0].order == 2 and report.culprit.rules == ("vjp", "jvp")
    assert "v1 = cg_frozen_sin(x0)" in msg and "not differentiable" in msg


def test_a_detached_use_of_an_input_is_named_when_no_rule_is_wrong():
    # x * x.detach() has value x², slope 2x, but autodiff sees only one factor: slope x
    report, msg = _fails(lambda x: x * x.detach(), np.array([1.0, -2.0, 0.5]))
    assert report.culprit is None and "v1 = mul(x0, x0) uses input 0 as a constant (detached)" in msg


# ---- 4. kinks ---------------------------------------------------------------------------------
@pytest.mark.parametrize("x", [0.0, 1e-7])
def test_relu_at_and_near_zero_passes_with_the_convention_named(x):
    with pytest.warns(UserWarning, match="relu′\\(0\\) = 0"):
        report = tg.check_grad(lambda v: tg.relu(v).sum(), np.array([x, -1.0]))
    (m,) = report.at_kinks
    # the engine gives relu′(0) = 0 and relu′(1e-7) = 1; the slopes either side are 0 and 1
    assert m.values["reverse"] == (0.0 if x == 0 else 1.0) and (m.left, m.right) == (0.0, pytest.approx(1.0))
    assert [str(k).split(":")[0] for k in report.kinks] == ["v1 = relu(x0) (shape (2,))"]


def test_abs_at_zero_does_not_pass_silently():
    # the central difference (|h| − |−h|)/2h = 0 equals the convention, but |x| has no derivative at 0
    with pytest.warns(UserWarning, match="abs.*\\|x\\|′\\(0\\) = 0"):
        report = tg.check_grad(lambda v: tg.abs(v).sum(), np.array([0.0, 2.0]))
    assert report.ok and not report.at_kinks and report.kinks[0].count == 1


def test_min_ties_at_order_2_pass_with_the_convention_named():
    with pytest.warns(UserWarning, match="at a tie of minimum"):
        report = tg.check_grad(lambda a, b: tg.minimum(a, b).sum(), np.array([1.0, 2.0]), np.array([1.0, 3.0]),
                               order=2)
    assert {m.order for m in report.at_kinks} == {2}
    with pytest.warns(UserWarning, match="tied maxima share the gradient evenly"):
        tg.check_grad(lambda x: tg.max(x), np.array([1.0, 1.0, 0.5]))


def test_a_wrong_rule_at_a_kink_still_fails():
    # slope 2 right of 0 lies outside the one-sided slopes 0 and 1
    report, msg = _fails(lambda v: steep_relu(v).sum(), np.array([1e-7, 1.0]))
    assert len(report.failures) == 2 and "slopes left/right of x: 0, 1" in msg
    assert "steep_relu′(0) = 0" in msg and report.culprit.node == "v1 = cg_steep_relu(x0)"


def test_many_kinks_give_no_false_failure_and_no_false_culprit():
    # 30 of 40 relu inputs at 0: a random direction crosses 30 kinks at once, and a convention's value
    # need not lie between the two one-sided slopes of their sum
    x = np.zeros(40)
    x[::4] = np.linspace(-1, 1, 10)
    w = np.random.default_rng(0).standard_normal(40)
    with pytest.warns(UserWarning, match="relu′\\(0\\) = 0"):
        report = tg.check_grad(lambda v: (tg.relu(v) * tg.Tensor(w)).sum(), x, max_entries=10)
    assert report.ok and report.kinks[0].count == 30
    for seed in range(10):
        assert find_culprit(record_graph(lambda v: tg.relu(v).sum(), [x]), 1, 1e-6, 1e-5, 1e-3, seed) is None


def test_points_away_from_kinks_pass_without_a_word():
    report = _quiet(lambda v: (tg.relu(v) + tg.abs(v)).sum(), np.array([-0.5, 0.5]))
    assert not report.kinks and not report.at_kinks


# ---- 5. float32 -------------------------------------------------------------------------------
def test_float32_inputs_are_checked_in_float32_as_well():
    report = _quiet(lambda x: (tg.tanh(x) * x).sum(), np.linspace(-2, 2, 5).astype(np.float32))
    assert set(report.worst_float32) == {(1, 0, "reverse"), (1, 0, "forward")}
    assert 0 < max(report.worst_float32.values()) < 1e-3 and max(report.worst.values()) < 1e-8


def test_a_bug_only_on_the_float32_path_is_caught():
    x = np.array([0.5, 1.5], np.float32)
    tg.check_grad(lambda v: square32(v).sum(), x.astype(np.float64))      # float64 is right
    report, msg = _fails(lambda v: square32(v).sum(), x)
    assert "(order 1, float32)" in msg and report.culprit.rules == ("vjp",)
    np.testing.assert_allclose([m.values["reverse"] for m in report.failures], x)       # a, not 2a
    np.testing.assert_allclose([m.central for m in report.failures], 2 * x, rtol=1e-2)


def test_a_bug_on_both_paths_is_listed_for_both_dtypes():
    report, msg = _fails(lambda v: wrong_vjp_sin(v).sum(), np.array([0.3, 1.0], np.float32))
    assert [m.dtype for m in report.failures] == ["float64", "float64", "float32", "float32"]
    assert "(order 1, float64; order 1, float32)" in msg and "float32 ∂out/∂x0[1]" in msg


# ---- in-place changes ----------------------------------------------------------------------------
def test_check_grad_names_an_input_that_f_changes_in_place():
    def overwrites(x):
        x.data[0] = 5.0                  # f no longer depends on x[0]; the recorded graph thinks it does
        return (x * 2).sum()
    with pytest.warns(UserWarning, match="check_grad: the function changed input 0 in place"):
        report, msg = _fails(overwrites, np.array([1.0, 2.0]))
    assert report.failures[0].central == 0 and "f changed input 0 in place" in msg


# ---- the passing path --------------------------------------------------------------------------
def test_a_right_gradient_passes_quietly_with_the_worst_errors():
    rng = np.random.default_rng(0)
    report = _quiet(lambda a, b: (a @ b).tanh(), rng.standard_normal((3, 4)), rng.standard_normal((4, 2)))
    assert report.ok and report.methods == {1: "jacobian"}
    assert set(report.worst) == {(1, 0, "reverse"), (1, 1, "reverse"), (1, 0, "forward"), (1, 1, "forward")}
    assert max(report.worst.values()) < 1e-8


def test_large_inputs_use_random_projections():
    rng = np.random.default_rng(0)
    report = tg.check_grad(lambda W, x: tg.sigmoid(x @ W.T).sum(), rng.standard_normal((50, 40)),
                           rng.standard_normal((8, 40)), max_entries=100)
    assert report.methods == {1: "projections"}


def test_order_2_checks_the_derivatives_of_both_rules():
    x = np.array([0.3, -0.7])
    report = tg.check_grad(lambda x: tg.sin(x).sum(), x, order=2)
    assert {o for o, _, _ in report.worst} == {1, 2}
    # a tanh whose jvp rule is frozen (right in value only): only h(x) = ⟨v, J(x) r⟩ sees it
    frozen_jvp = Primitive("cg_frozen_jvp_tanh", np.tanh, vjp=(lambda g, o, a: g * (1 - o * o),),
                           jvp=(lambda t, o, a: t * tg.Tensor(1 - np.tanh(a.data) ** 2),))
    report, _ = _fails(lambda x: frozen_jvp(x).sum(), x, order=2)
    assert {m.entry[:2] for m in report.failures} == {"∂h"} and report.culprit.rules == ("jvp",)


def test_bad_arguments_raise_clear_errors():
    with pytest.raises(ValueError, match="modes must be"):
        tg.check_grad(tg.sin, np.ones(2), modes=("sideways",))
    with pytest.raises(ValueError, match="order must be 1 or 2"):
        tg.check_grad(tg.sin, np.ones(2), order=3)


# ---- no false culprit ----------------------------------------------------------------------------
def test_no_row_of_the_engine_is_blamed_at_its_samples():
    # the culprit search checks each node's own rules against differences of that op alone: on
    # the engine's own rows, at their sampled inputs, it must find nothing (orders 1 and 2)
    rng = np.random.default_rng(0)
    rows = [getattr(P, n) for n in P.__all__ if isinstance(getattr(P, n), Primitive)]
    assert len(rows) > 30
    for prim in rows:
        if prim.sample is None or not prim.differentiable:
            continue
        arrays, params = prim.sample(rng)
        floats = [k for k, a in enumerate(arrays) if np.asarray(a).dtype.kind == "f"]

        def f(*xs, arrays=arrays, floats=floats, prim=prim, params=params):
            args = [tg.Tensor(a) if not isinstance(a, tg.Tensor) else a for a in arrays]
            for k, x in zip(floats, xs):
                args[k] = x
            return prim(*args, **params)
        rec = record_graph(f, [np.asarray(arrays[k], dtype=np.float64) for k in floats])
        for order in (1, 2) if prim.smooth else (1,):
            assert find_culprit(rec, order, 1e-6, 1e-5, 1e-3) is None, (prim.name, order)
