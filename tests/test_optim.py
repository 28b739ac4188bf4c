"""Optimisers against updates computed by hand from their formulas (RHW eqs. 6, 7; NNDL eqs.
5.36, 5.83, 5.84; Kingma & Ba's Adam), on quadratics whose gradients are known in closed form."""
import math

import numpy as np
import pytest

import tinygrad_cn as tg
from tinygrad_cn import functional as F
from tinygrad_cn import nn
from tinygrad_cn.nn.optim import SGD, Adam


def quadratic_step(opt, w, k=3.0):
    """E = ½ k w² (so ∂E/∂w = k w): one backward and one step."""
    opt.zero_grad()
    (0.5 * k * w * w).sum().backward()
    opt.step()


def test_sgd_eq_6_one_step():
    w = nn.Parameter([2.0])
    opt = SGD([w], lr=0.1)
    quadratic_step(opt, w)
    assert w.item() == pytest.approx(2.0 - 0.1 * 6.0, abs=1e-15)          # Δw = −ε ∂E/∂w = −0.6


def test_sgd_momentum_rhw_eq_7_two_steps():
    """Δw(t) = −ε ∂E/∂w(t) + α Δw(t−1), ε = 0.1, α = 0.9, E = ½·3·w², w(0) = 2:
    t = 1: ∂E/∂w = 6,   Δw = −0.6,                 w = 1.4
    t = 2: ∂E/∂w = 4.2, Δw = −0.42 + 0.9·(−0.6) = −0.96, w = 0.44"""
    w = nn.Parameter([2.0])
    opt = SGD([w], lr=0.1, momentum=0.9)
    quadratic_step(opt, w)
    assert w.item() == pytest.approx(1.4, abs=1e-15)
    assert opt.state[id(w)]["delta"] == pytest.approx([-0.6], abs=1e-15)
    quadratic_step(opt, w)
    assert w.item() == pytest.approx(0.44, abs=1e-14)
    assert opt.state[id(w)]["delta"] == pytest.approx([-0.96], abs=1e-14)


def test_momentum_keeps_the_past_change_when_the_learning_rate_changes():
    """RHW's family-tree run changes ε after 20 sweeps. In eq. 7 the stored Δw(t−1) keeps its size:
    ε: 0.1 then 0.2. t = 1: Δw = −0.6, w = 1.4; t = 2: Δw = −0.2·4.2 + 0.9·(−0.6) = −1.38, w = 0.02.
    (PyTorch's velocity form v ← 0.9v + g, w ← w − εv would give 1.4 − 0.2·(0.9·6 + 4.2) = −0.52.)"""
    w = nn.Parameter([2.0])
    opt = SGD([w], lr=0.1, momentum=0.9)
    quadratic_step(opt, w)
    opt.lr = 0.2
    quadratic_step(opt, w)
    assert w.item() == pytest.approx(0.02, abs=1e-14)


def test_sgd_momentum_on_a_two_dimensional_quadratic():
    """E = ½ wᵀAw with A = [[2, 0.5], [0.5, 1]], w(0) = (1, −1), ε = 0.05, α = 0.5, three steps
    computed here with the recursion itself, written out."""
    A = np.array([[2.0, 0.5], [0.5, 1.0]])
    w = nn.Parameter([1.0, -1.0])
    opt = SGD([w], lr=0.05, momentum=0.5)
    ref, delta = np.array([1.0, -1.0]), np.zeros(2)
    for _ in range(3):
        opt.zero_grad()
        (0.5 * (w @ (tg.Tensor(A) @ w))).backward()
        opt.step()
        delta = -0.05 * (A @ ref) + 0.5 * delta
        ref = ref + delta
    assert np.allclose(w.data, ref, rtol=1e-14)


def test_weight_decay_is_the_l2_gradient_and_param_groups_limit_it_to_weights():
    """weight_decay λ adds λw to ∂E/∂w (eq. 5.36's ½λ‖W‖², algorithm 5.1's −αλW):
    w: 2 − 0.1·(6 + 0.5·2) = 1.3; the bias, in a group without decay: 2 − 0.1·6 = 1.4."""
    w, b = nn.Parameter([2.0]), nn.Parameter([2.0])
    opt = SGD([{"params": [w], "weight_decay": 0.5}, {"params": [b]}], lr=0.1)
    opt.zero_grad()
    (1.5 * w * w + 1.5 * b * b).sum().backward()
    opt.step()
    assert w.item() == pytest.approx(1.3, abs=1e-15)
    assert b.item() == pytest.approx(1.4, abs=1e-15)
    net = nn.MLP([2, 3, 1], rng=0)
    groups = SGD([{"params": nn.weights(net), "weight_decay": 1e-3},
                  {"params": nn.non_weights(net)}], lr=0.1).param_groups
    assert [g["weight_decay"] for g in groups] == [1e-3, 0.0]
    assert sum(len(g["params"]) for g in groups) == 4


def test_minibatch_step_is_the_average_gradient_eq_5_84():
    """One step of eq. 5.84 on the one-weight model y = w x with L = ½(y − d)²:
    w ← w − λ (1/m) Σ_i (w x_i − d_i) x_i."""
    lin = nn.Linear(1, 1, bias=False)
    lin.weight.data = np.array([[0.5]])
    x = np.array([[1.0], [2.0], [-1.0]])
    dd = np.array([[1.0], [0.0], [2.0]])
    opt = SGD(lin.parameters(), lr=0.2)
    opt.zero_grad()
    F.squared_error(lin(x), dd).backward()
    opt.step()
    g = ((0.5 * 1 - 1) * 1 + (0.5 * 2 - 0) * 2 + (0.5 * -1 - 2) * -1) / 3
    assert lin.weight.item() == pytest.approx(0.5 - 0.2 * g, abs=1e-15)


def test_adam_two_steps_by_hand():
    """E = ½·3·w², w(0) = 2, lr = 0.1, β = (0.9, 0.999), ε = 1e-8."""
    w = nn.Parameter([2.0])
    opt = Adam([w], lr=0.1)
    quadratic_step(opt, w)
    g1 = 6.0
    m1, v1 = 0.1 * g1, 0.001 * g1 ** 2
    w1 = 2.0 - 0.1 * (m1 / 0.1) / (math.sqrt(v1 / 0.001) + 1e-8)     # = 2 − 0.1·6/(6 + 1e-8)
    assert w.item() == pytest.approx(w1, abs=1e-15)
    quadratic_step(opt, w)
    g2 = 3.0 * w1
    m2 = 0.9 * m1 + 0.1 * g2
    v2 = 0.999 * v1 + 0.001 * g2 ** 2
    w2 = w1 - 0.1 * (m2 / (1 - 0.9 ** 2)) / (math.sqrt(v2 / (1 - 0.999 ** 2)) + 1e-8)
    assert w.item() == pytest.approx(w2, abs=1e-14)
    assert 1.80 < w2 < 1.81                   # the numbers themselves: w1 ≈ 1.9, w2 ≈ 1.8017


def test_adam_first_step_is_lr_times_the_sign_whatever_the_scale():
    a, b = nn.Parameter([1.0]), nn.Parameter([1.0])
    opt = Adam([a, b], lr=0.01)
    (1e-3 * a + (-1e3) * b).sum().backward()
    opt.step()
    assert a.item() == pytest.approx(1.0 - 0.01, abs=1e-7)
    assert b.item() == pytest.approx(1.0 + 0.01, abs=1e-12)


def test_parameters_without_gradient_are_skipped_and_zero_grad_clears():
    used, unused = nn.Parameter([1.0]), nn.Parameter([5.0])
    for opt in (SGD([used, unused], lr=0.1, momentum=0.9), Adam([used, unused])):
        (used * 2).sum().backward()
        opt.step()
        assert unused.item() == 5.0 and used.item() < 1.0
        opt.zero_grad()
        assert used.grad is None
        used.data = np.array([1.0])


def test_float32_parameters_stay_float32():
    net = nn.MLP([2, 3, 1], activation="tanh", rng=0, dtype=np.float32)
    x = np.ones((4, 2), np.float32)
    for opt in (SGD(net.parameters(), lr=0.1, momentum=0.9, weight_decay=1e-3),
                Adam(net.parameters(), weight_decay=1e-3)):
        for _ in range(2):
            opt.zero_grad()
            F.squared_error(net(x), np.zeros((4, 1), np.float32)).backward()
            opt.step()
        assert all(p.dtype == np.float32 for p in net.parameters())


def test_bad_arguments():
    w = nn.Parameter([1.0])
    with pytest.raises(ValueError, match="momentum"):
        SGD([w], lr=0.1, momentum=1.0)
    with pytest.raises(ValueError, match="lr"):
        SGD([w], lr=0)
    with pytest.raises(ValueError, match="twice"):
        SGD([w, w], lr=0.1)
    with pytest.raises(ValueError, match="empty"):
        SGD([], lr=0.1)
    with pytest.raises(TypeError, match="requires_grad"):
        SGD([tg.Tensor([1.0])], lr=0.1)
    with pytest.raises(TypeError, match="unknown option"):
        SGD([{"params": [w], "nesterov": True}], lr=0.1)
    with pytest.raises(ValueError, match="betas"):
        Adam([w], betas=(0.9, 1.0))


def test_passing_a_module_or_a_per_sample_loss_says_what_to_pass():
    model = nn.Linear(2, 1, rng=0)
    with pytest.raises(TypeError, match=r"model.parameters\(\)"):
        tg.optim.SGD(model, lr=0.1)
    X, y = np.ones((4, 2)), np.ones((4, 1))
    with pytest.raises(ValueError, match="reduction='mean'"):
        tg.fit(model, lambda out, t: F.squared_error(out, t, "none"), tg.optim.SGD(model.parameters(), lr=0.1),
               X, y, epochs=1, verbose=False)


# ==== updates in place (issue 11): the same numbers, no new array per parameter per step ============
@pytest.mark.parametrize("make", [lambda ps: SGD(ps, lr=0.1), lambda ps: SGD(ps, lr=0.1, momentum=0.9),
                                  lambda ps: SGD(ps, lr=0.1, momentum=0.9, weight_decay=0.01),
                                  lambda ps: Adam(ps, lr=0.01, weight_decay=0.01)])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_steps_write_into_the_parameter_arrays_and_reuse_their_work_arrays(make, dtype):
    w = nn.Parameter(np.array([[2.0, -1.0], [0.5, 3.0]], dtype))
    b = nn.Parameter(np.array(0.7, dtype))                            # a 0-d parameter too
    opt = make([w, b])
    arrays = (w.data, b.data)
    quadratic_step(opt, w)
    b.grad = tg.Tensor(np.array(0.3, dtype))
    opt.step()
    work = {k: [id(v) for v in st.values() if isinstance(v, np.ndarray)] for k, st in opt.state.items()}
    for _ in range(3):
        quadratic_step(opt, w)
    assert w.data is arrays[0] and b.data is arrays[1]
    assert w.dtype == dtype and b.dtype == dtype
    assert {k: [id(v) for v in st.values() if isinstance(v, np.ndarray)]
            for k, st in opt.state.items()} == work


def test_adam_in_place_follows_the_formulas():
    """Kingma & Ba's update written out in float64 for E = ½·3·w², w(0) = 2, lr 0.1, three steps,
    into the array the parameter started with."""
    w = nn.Parameter([2.0])
    held = w.data
    opt = Adam([w], lr=0.1)
    ref, m, v = 2.0, 0.0, 0.0
    for t in (1, 2, 3):
        quadratic_step(opt, w)
        g = 3.0 * ref
        m, v = 0.9 * m + 0.1 * g, 0.999 * v + 0.001 * g * g
        ref -= 0.1 * (m / (1 - 0.9 ** t)) / (math.sqrt(v / (1 - 0.999 ** t)) + 1e-8)
        assert w.data is held and w.item() == pytest.approx(ref, rel=1e-15)


def test_a_read_only_parameter_array_is_replaced_once_then_updated_in_place():
    w = nn.Parameter([2.0])
    w.data = np.broadcast_to(np.array(2.0), (1,))                       # a read-only view
    opt = SGD([w], lr=0.1)
    quadratic_step(opt, w)
    assert w.item() == pytest.approx(1.4, abs=1e-15)
    held = w.data
    quadratic_step(opt, w)
    assert w.data is held and w.item() == pytest.approx(1.4 - 0.1 * 4.2, abs=1e-15)
