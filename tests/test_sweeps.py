"""The sweeps pause Python's cycle collector and restore it as they found it, also on errors; backward()
runs the rules on bare arrays and gets the bits of the rules run on tensors."""
import gc

import numpy as np
import pytest

import tinygrad_cn as tg


def _net():
    w = tg.Tensor(np.array([0.5, -1.0]), requires_grad=True)
    return w, (tg.sigmoid(w * 3.0) * w).sum()


def test_collector_on_again_after_backward_and_jvp():
    assert gc.isenabled()
    w, y = _net()
    y.backward()
    assert gc.isenabled()
    tg.jvp(lambda w: (w * w).sum(), (w,), (tg.Tensor(np.ones(2)),))
    assert gc.isenabled()


def test_collector_left_off_when_the_user_turned_it_off():
    w, y = _net()
    gc.disable()
    try:
        y.backward()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_collector_restored_when_a_rule_raises():
    def bad_rule(g, out, a):
        raise ArithmeticError("a rule that fails")
    prim = tg.Primitive("test_sweeps_failing_rule", np.negative, vjp=(bad_rule,),
                        jvp=(lambda t, out, a: -t,))
    try:
        x = tg.Tensor(1.0, requires_grad=True)
        with pytest.raises(ArithmeticError):
            prim(x).backward()
        assert gc.isenabled()
    finally:
        del tg.PRIMITIVES["test_sweeps_failing_rule"]


def test_second_backward_raises_and_collector_stays_on():
    x = tg.Tensor(1.0, requires_grad=True)
    y = x * 2
    y.backward()
    with pytest.raises(tg.GraphFreedError, match="already swept"):
        y.backward()
    assert gc.isenabled()


def test_collector_paused_during_the_sweep():
    seen = []

    def rule(g, out, a):
        seen.append(gc.isenabled())
        return -g
    prim = tg.Primitive("test_sweeps_watching_rule", np.negative, vjp=(rule,), jvp=(lambda t, out, a: -t,))
    try:
        prim(tg.Tensor(1.0, requires_grad=True)).backward()
    finally:
        del tg.PRIMITIVES["test_sweeps_watching_rule"]
    assert seen == [False] and gc.isenabled()


# a row of the user's own, without array_rules: its rule (with a Python number in it) runs on tensors
_twice = tg.Primitive("test_sweeps_twice", lambda a: a * 2, vjp=(lambda g, o, a: g * 2.0,), linear=True)


def _grads(dtype, create_graph):
    rng = np.random.default_rng(7)
    W = tg.Tensor(rng.standard_normal((3, 4)).astype(dtype), requires_grad=True)
    b = tg.Tensor(rng.standard_normal(3).astype(dtype), requires_grad=True)
    X = tg.Tensor(rng.standard_normal((5, 4)).astype(dtype))
    h = tg.sigmoid(X @ W.T + b)                                  # b broadcast over the rows
    y = (h * h).sum() + _twice(h.tanh()).mean() + (W * W).sum() / 2 + tg.maximum(h, 0.5).max()
    W.retain_grad()
    h.retain_grad()
    y.backward(create_graph=create_graph)
    return [t.grad.data for t in (W, b, h)]


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_backward_on_arrays_gives_the_bits_of_the_recorded_rules(dtype):
    # create_graph records every rule as a tensor op; plain backward() runs them on the arrays:
    # broadcasting undone, a weight used by several consumers, retained grads, a user row
    on_arrays, recorded = _grads(dtype, False), _grads(dtype, True)
    for a, r in zip(on_arrays, recorded):
        assert a.dtype == r.dtype == dtype and a.shape == r.shape and a.tobytes() == r.tobytes()


def test_a_user_row_runs_tensor_rules_and_a_wrong_array_rules_claim_is_named():
    def rules(flag):
        return dict(vjp=(lambda g, o, a: g * a.exp(),), jvp=(lambda t, o, a: t * a.exp(),), array_rules=flag)
    own = tg.Primitive("test_sweeps_own_exp", np.exp, **rules(False))          # a.exp(): a Tensor method
    x = tg.Tensor([0.5, -1.0], requires_grad=True)
    own(x).sum().backward()
    np.testing.assert_allclose(x.grad.data, np.exp([0.5, -1.0]))
    claims = tg.Primitive("test_sweeps_claims_arrays", np.exp, **rules(True))
    x = tg.Tensor([0.5], requires_grad=True)
    with pytest.raises(TypeError, match=r"test_sweeps_claims_arrays node .* failed on bare arrays.*drop array_rules"):
        claims(x).sum().backward()
    assert x.grad is None


def test_a_wrong_array_rules_claim_is_named_in_forward_mode_too():
    claims = tg.Primitive("test_sweeps_claims_arrays_jvp", np.exp, vjp=(lambda g, o, a: g * a.exp(),),
                          jvp=(lambda t, o, a: t * a.exp(),), array_rules=True)
    with pytest.raises(TypeError, match=r"jvp rule of the test_sweeps_claims_arrays_jvp node .* failed on bare arrays"):
        tg.jvp(lambda x: claims(x).sum(), (tg.Tensor([0.5]),), (tg.Tensor([1.0]),))
