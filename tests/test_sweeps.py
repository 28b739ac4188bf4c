"""The sweeps pause Python's cycle collector and restore it as they found it, also on errors."""
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
