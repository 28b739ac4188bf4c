"""Layers, activations and losses (Qiu, NNDL 2020, draft ch. 5 = published ch. 4; the 2016
joint-learning report; Rumelhart, Hinton & Williams 1986: see docs/references.md).

Expected values come from the formulas in those sources, written out here in NumPy or by hand, or
from central differences (tg.check_grad); never from the code under test."""
import io
import math
from functools import partial

import numpy as np
import pytest

import tinygrad_cn as tg
from tinygrad_cn import datasets, init, nn, optim
from tinygrad_cn import functional as F
from tinygrad_cn.nn.train import accuracy, fit


def sig(x):
    return 1 / (1 + np.exp(-np.asarray(x, dtype=float)))


def d(f, x):
    """f'(x) by reverse mode and by forward mode; both must agree."""
    rev = tg.grad(f)(x).item()
    fwd = tg.jvp(f, (x,), (1.0,))[1].item()
    assert rev == fwd
    return rev


# ==== Module and Parameter ===================================================================
class Two(nn.Module):
    def __init__(self):
        super().__init__()
        self.first = nn.Linear(3, 4, rng=0)
        self.scale = nn.Parameter([2.0])
        self.second = nn.Linear(4, 1, rng=1)
        self.not_a_param = tg.Tensor([1.0], requires_grad=True)

    def forward(self, x):
        return self.second(self.first(x) * self.scale)


def test_parameters_are_registered_in_assignment_order():
    m = Two()            # as PyTorch: a module's own parameters, then each sub-module's, in order
    assert [k for k, _ in m.named_parameters()] == ["scale", "first.weight", "first.bias",
                                                    "second.weight", "second.bias"]
    assert all(p.requires_grad for p in m.parameters())
    assert m.num_parameters() == 3 * 4 + 4 + 1 + 4 + 1
    assert [k for k, _ in m.named_children()] == ["first", "second"]


def test_parameter_dtypes():
    assert nn.Parameter([1, 2]).dtype == np.float64                    # ints become float64
    assert nn.Parameter(np.ones(2, np.float32)).dtype == np.float32    # float32 stays
    assert "Parameter(" in repr(nn.Parameter([1.0]))
    with pytest.raises(TypeError, match="complex"):                   # not truncated to its real part
        nn.Parameter([1 + 2j])


def test_wrong_assignments_are_refused():
    m = Two()
    with pytest.raises(TypeError, match="is a Parameter"):
        m.scale = np.array([3.0])
    m.scale.data = np.array([3.0])                                      # the way to change values
    assert m.scale.item() == 3.0

    class Forgot(nn.Module):
        def __init__(self):
            self.w = nn.Parameter(1.0)
    with pytest.raises(AttributeError, match=r"call super\(\)\.__init__\(\)"):
        Forgot()


def test_zero_grad_train_eval_recurse():
    m = nn.Sequential(nn.Linear(2, 3, rng=0), nn.Dropout(0.5), nn.Sequential(nn.BatchNorm1d(3)))
    m(np.ones((4, 2))).sum().backward()
    assert all(p.grad is not None for p in m.parameters())
    m.zero_grad()
    assert all(p.grad is None for p in m.parameters())
    m.eval()
    assert not any(mod.training for mod in m.modules())
    m.train()
    assert all(mod.training for mod in m.modules())


def test_shared_weights_rhw_fig5_iterated_net_is_a_layered_net():
    """RHW fig. 5: running a net for three iterations = a 3-layer net whose layers share weights.
    The shared parameter is listed once and its gradient is the sum of the three layers'."""
    step = nn.Linear(2, 2, rng=3)

    class Iterated(nn.Module):
        def __init__(self):
            super().__init__()
            self.a, self.b, self.c = step, step, step

        def forward(self, x):
            return F.tanh(self.c(F.tanh(self.b(F.tanh(self.a(x))))))

    net = Iterated()
    assert [k for k, _ in net.named_parameters()] == ["a.weight", "a.bias"]
    x = np.array([[0.3, -0.8]])
    net(x).sum().backward()
    # the layered net with three separate copies of the weights
    copies = [nn.Linear(2, 2, rng=3) for _ in range(3)]
    for c in copies:
        assert np.array_equal(c.weight.data, step.weight.data)
    h = x
    for c in copies:
        h = F.tanh(c(h))
    h.sum().backward()
    assert np.allclose(step.weight.grad.data, sum(c.weight.grad.data for c in copies), atol=1e-14)
    assert np.allclose(step.bias.grad.data, sum(c.bias.grad.data for c in copies), atol=1e-14)


def test_functional_call_substitutes_and_restores():
    lin = nn.Linear(2, 1, rng=0)
    W0 = lin.weight
    out = nn.functional_call(lin, {"weight": tg.Tensor([[1.0, 2.0]]), "bias": tg.Tensor([0.5])},
                             np.array([[3.0, 4.0]]))
    assert out.data.tolist() == [[1 * 3 + 2 * 4 + 0.5]]
    assert lin.weight is W0
    with pytest.raises(KeyError, match="no parameters"):
        nn.functional_call(lin, {"weights": tg.Tensor([[1.0, 2.0]])}, np.ones((1, 2)))


def test_state_dict_round_trip_in_memory():
    a, b = Two(), Two()
    for p in b.parameters():                   # Two() is seeded: make b differ before loading
        p.data = p.data + 1.0
    x0 = np.ones((1, 3))
    assert not np.array_equal(a(x0).data, b(x0).data)
    b.load_state_dict(a.state_dict())
    x = np.random.default_rng(0).standard_normal((5, 3))
    assert np.array_equal(a(x).data, b(x).data)


# ==== Linear: NNDL's orientation and the back-propagation equations ==============================
def test_linear_shapes_and_eq_5_26():
    lin = nn.Linear(3, 2, rng=0)
    assert lin.weight.shape == (2, 3)          # W⁽ˡ⁾ ∈ R^{n_l × n_{l−1}}
    assert lin.bias.shape == (2,) and np.all(lin.bias.data == 0)
    lin.bias.data = np.array([0.5, -1.0])
    W, b = lin.weight.data, lin.bias.data
    a = np.array([1.0, -2.0, 0.5])
    z = lin(a)                                 # one sample: z = W a + b
    want = [sum(W[i, j] * a[j] for j in range(3)) + b[i] for i in range(2)]
    assert z.shape == (2,) and np.allclose(z.data, want, rtol=1e-14)
    X = np.stack([a, 2 * a, -a, np.zeros(3)])
    Z = lin(X)                                 # a batch: one row per sample
    assert Z.shape == (4, 2)
    for n in range(4):
        assert np.allclose(Z.data[n], [sum(W[i, j] * X[n, j] for j in range(3)) + b[i] for i in range(2)])
    with pytest.raises(ValueError, match="3 features"):
        lin(np.ones((4, 2)))
    assert nn.Linear(3, 2, bias=False).bias is None


def test_backprop_equations_5_49_5_56_5_57():
    """The engine's gradients are the book's δ's: δ⁽ᴸ⁾ = ∂L/∂z⁽ᴸ⁾, δ⁽ˡ⁾ = f'(z⁽ˡ⁾) ⊙ (W⁽ˡ⁺¹⁾)ᵀδ⁽ˡ⁺¹⁾
    (5.49), ∂L/∂W⁽ˡ⁾ = δ⁽ˡ⁾(a⁽ˡ⁻¹⁾)ᵀ (5.56), ∂L/∂b⁽ˡ⁾ = δ⁽ˡ⁾ (5.57), for one sample with logistic
    units and L = ½‖d − a⁽²⁾‖² (RHW eqs. 3–5)."""
    net = nn.MLP([3, 4, 2], activation="logistic", output_activation="logistic", rng=1)
    l1, l2 = net[0], net[2]
    x, target = np.array([0.5, -1.0, 2.0]), np.array([1.0, 0.0])
    F.squared_error(net(x), target, reduction="sum").backward()
    W1, b1, W2, b2 = (p.data for p in (l1.weight, l1.bias, l2.weight, l2.bias))
    a1 = sig(W1 @ x + b1)
    a2 = sig(W2 @ a1 + b2)
    delta2 = (a2 - target) * a2 * (1 - a2)                 # RHW: ∂E/∂y = y − d, times y(1 − y)
    delta1 = a1 * (1 - a1) * (W2.T @ delta2)               # (5.49)
    assert np.allclose(l2.weight.grad.data, np.outer(delta2, a1), rtol=1e-12)   # (5.56)
    assert np.allclose(l2.bias.grad.data, delta2, rtol=1e-12)                   # (5.57)
    assert np.allclose(l1.weight.grad.data, np.outer(delta1, x), rtol=1e-12)
    assert np.allclose(l1.bias.grad.data, delta1, rtol=1e-12)


def test_linear_gradcheck_both_modes_and_second_order():
    lin = nn.Linear(3, 2, rng=0)
    X = np.random.default_rng(1).standard_normal((4, 3))
    f = lambda X, W, b: F.tanh(nn.functional_call(lin, {"weight": W, "bias": b}, X))
    tg.check_grad(f, X, lin.weight.data, lin.bias.data + 0.1, order=2)


def test_mlp_structure_and_forward():
    net = nn.MLP([2, 5, 3, 1], activation="tanh", output_activation="logistic", rng=0)
    kinds = [type(m).__name__ for m in net]
    assert kinds == ["Linear", "Tanh", "Linear", "Tanh", "Linear", "Logistic"]
    assert [m.weight.shape for m in net if isinstance(m, nn.Linear)] == [(5, 2), (3, 5), (1, 3)]
    x = np.array([[0.2, -0.4]])
    h = x
    for lin, act in ((net[0], np.tanh), (net[2], np.tanh), (net[4], sig)):
        h = act(h @ lin.weight.data.T + lin.bias.data)
    assert np.allclose(net(x).data, h, rtol=1e-14)
    assert type(nn.MLP([2, 3, 4])[-1]).__name__ == "Linear"        # logits out by default
    # the two Xavier ranges of eqs. 5.90/5.91: |w| ≤ 4√(6/(n_in + n_out)) for logistic units
    big = nn.MLP([200, 300], activation=None, output_activation="logistic", rng=0)[0].weight.data
    r = 4 * math.sqrt(6 / 500)
    assert np.abs(big).max() <= r and np.abs(big).max() > 0.95 * r


# ==== initialisers (NNDL §5.7.4) ===============================================================
def test_xavier_ranges_eqs_5_90_5_91_5_101():
    """r = √(6/(n_{l−1} + n_l)) (5.101), times 4 for logistic units (σ'(0) = 1/4; the book's draft
    swaps the labels of 5.90 and 5.91), times 1 for tanh (tanh'(0) = 1)."""
    shape = (300, 200)                                  # (n_l, n_{l−1})
    r = math.sqrt(6 / 500)
    for act, gain in (("tanh", 1), ("logistic", 4), (None, 1)):
        w = init.xavier_uniform(shape, activation=act, rng=0)
        assert np.abs(w).max() <= gain * r and np.abs(w).max() > 0.99 * gain * r
        assert w.var() == pytest.approx((gain * r) ** 2 / 3, rel=0.02)        # (b − a)²/12, 5.100
    assert init.xavier_normal(shape, rng=0).var() == pytest.approx(2 / 500, rel=0.02)     # 5.99
    assert init.he_normal(shape, rng=0).var() == pytest.approx(2 / 200, rel=0.02)
    assert init.he_uniform(shape, rng=0).var() == pytest.approx(2 / 200, rel=0.02)
    assert init.normal(shape, rng=0).var() == pytest.approx(0.01, rel=0.02)      # the book's 0.01
    assert init.fans((3, 5)) == (5, 3)                                           # (fan_in, fan_out)
    with pytest.raises(ValueError, match="no gain known"):
        init.xavier_uniform(shape, activation="relu")


def test_initialisers_take_a_seed_or_a_generator():
    assert np.array_equal(init.uniform((3, 2), rng=5), init.uniform((3, 2), rng=5))
    g = np.random.default_rng(5)
    a, b = init.uniform((3, 2), rng=g), init.uniform((3, 2), rng=g)
    assert not np.array_equal(a, b) and np.array_equal(a, init.uniform((3, 2), rng=5))
    assert np.all(np.abs(a) <= 0.3)                         # RHW: uniform in [−0.3, 0.3]
    assert init.normal((2,), dtype=np.float32, rng=0).dtype == np.float32
    init.manual_seed(11)
    x = nn.Linear(4, 3).weight.data
    init.manual_seed(11)
    assert np.array_equal(nn.Linear(4, 3).weight.data, x)
    assert np.array_equal(nn.Linear(4, 3, rng=2).weight.data, nn.Linear(4, 3, rng=2).weight.data)
    with pytest.raises(TypeError, match="rng"):
        init.uniform((2,), rng="seed")
    with pytest.raises(ValueError, match="unknown initialiser"):
        nn.Linear(2, 2, init="glorot")


# ==== activations (NNDL §5.1.2, table 5.1) =====================================================
XS = np.array([-2.7, -1.3, -0.4, 0.35, 1.1, 2.6])          # no kink of any activation here


def test_activation_values_from_the_formulas():
    x = XS
    assert np.allclose(F.logistic(x).data, 1 / (1 + np.exp(-x)), rtol=1e-15)             # 5.4
    assert np.allclose(F.tanh(x).data, 2 * sig(2 * x) - 1, rtol=1e-14)                   # 5.6
    assert np.allclose(F.tanh(x).data, 2 / (1 + np.exp(-2 * x)) - 1, rtol=1e-14)         # table 5.1
    assert F.hard_logistic([-3.0, -2.0, -1.0, 0.0, 1.0, 2.0, 3.0]).data.tolist() == \
        [0, 0, 0.25, 0.5, 0.75, 1, 1]                                                   # 5.11
    assert F.hard_tanh([-3.0, -1.0, -0.5, 0.5, 1.0, 3.0]).data.tolist() == [-1, -1, -0.5, 0.5, 1, 1]
    assert F.relu([-2.0, 0.0, 3.0]).data.tolist() == [0, 0, 3]                          # 5.17
    assert F.leaky_relu([-2.0, 3.0], 0.01).data.tolist() == [-0.02, 3]                  # 5.19
    assert np.allclose(F.softplus(x).data, np.log(1 + np.exp(x)), rtol=1e-14)            # 5.22
    assert np.allclose(F.elu(x, 1.5).data, np.where(x > 0, x, 1.5 * (np.exp(x) - 1)))
    assert np.allclose(F.swish(x, 2.0).data, x * sig(2 * x))
    assert F.elu([800.0]).data.tolist() == [800.0]      # no overflow in the unused branch
    assert F.softplus([1000.0, -1000.0]).data.tolist() == [1000.0, 0.0]


def test_table_5_1_derivatives():
    for x in (-1.7, 0.0, 0.9):
        f = sig(x)
        assert d(F.logistic, x) == pytest.approx(f * (1 - f), rel=1e-14)            # f(1 − f)
        t = math.tanh(x)
        assert d(F.tanh, x) == pytest.approx(1 - t * t, rel=1e-14)                  # 1 − f²
        assert d(F.softplus, x) == pytest.approx(1 / (1 + math.exp(-x)), rel=1e-14)  # 1/(1+e^−x)
    assert d(F.relu, -0.5) == 0 and d(F.relu, 0.5) == 1
    assert d(F.hard_logistic, 1.0) == 0.25 and d(F.hard_tanh, 0.3) == 1
    assert d(lambda x: F.leaky_relu(x, 0.1), -3.0) == pytest.approx(0.1)


def test_conventions_at_the_kinks():
    assert d(F.relu, 0.0) == 0                                     # relu'(0) = 0
    for x in (-2.0, 2.0, -5.0, 5.0):                               # 0 outside the open region
        assert d(F.hard_logistic, x) == 0
    for x in (-1.0, 1.0):
        assert d(F.hard_tanh, x) == 0
    assert d(lambda x: F.leaky_relu(x, 0.2), 0.0) == pytest.approx(0.2)    # x ≤ 0 side (5.18)
    assert d(lambda x: F.prelu(x, tg.Tensor(0.3)), 0.0) == pytest.approx(0.3)


SMOOTH = [F.logistic, F.tanh, F.softplus, F.swish, lambda x: F.elu(x, 0.7)]
PIECEWISE = [F.relu, lambda x: F.leaky_relu(x, 0.05), F.hard_logistic, F.hard_tanh]


@pytest.mark.parametrize("f", SMOOTH)
def test_smooth_activations_gradcheck_to_second_order(f):
    tg.check_grad(f, XS, order=2)


@pytest.mark.parametrize("f", PIECEWISE)
def test_piecewise_activations_gradcheck_away_from_kinks(f):
    tg.check_grad(f, XS)


def test_prelu_per_neuron_and_shared():
    X = np.array([[-1.0, 2.0, -0.5], [-3.0, -1.5, 0.8]])
    per = nn.PReLU(3)
    assert per.a.shape == (3,) and np.all(per.a.data == 0.25)
    per.a.data = np.array([0.1, 0.2, 0.3])
    y = per(X)
    assert np.allclose(y.data, np.where(X > 0, X, np.array([0.1, 0.2, 0.3]) * X))   # 5.21
    y.sum().backward()
    assert np.allclose(per.a.grad.data, [(-1 - 3), -1.5, -0.5])    # ∂/∂a_i = Σ of x ≤ 0 in column i
    shared = nn.PReLU()
    assert shared.a.shape == ()
    shared(X).sum().backward()
    assert shared.a.grad.item() == pytest.approx(-1 - 0.5 - 3 - 1.5)
    tg.check_grad(lambda x, a: F.prelu(x, a), X, np.array([0.1, 0.2, 0.3]))
    with pytest.raises(ValueError, match="3 neurons"):
        per(np.ones((2, 4)))


def test_maxout_eq_5_25():
    layer = nn.Maxout(3, 2, k=3, rng=0)
    assert layer.weight.shape == (6, 3)
    x = np.array([[0.5, -1.0, 2.0], [1.0, 0.3, -0.2]])
    z = x @ layer.weight.data.T + layer.bias.data
    want = np.stack([z[:, 0:3].max(1), z[:, 3:6].max(1)], axis=1)        # unit u: rows 3u..3u+2
    assert np.allclose(layer(x).data, want, rtol=1e-14)
    f = lambda x, W, b: nn.functional_call(layer, {"weight": W, "bias": b}, x)
    tg.check_grad(f, x, layer.weight.data, layer.bias.data + np.arange(6) * 0.01)
    with pytest.raises(ValueError, match="multiple of k"):
        F.maxout(tg.Tensor(np.ones(5)), 2)


def test_swish_with_a_learnable_beta():
    sw = nn.Swish(1.5, learnable=True)
    assert [k for k, _ in sw.named_parameters()] == ["beta"]
    x = np.array([-1.2, 0.4, 2.0])
    sw(x).sum().backward()
    s_ = sig(1.5 * x)
    assert np.allclose(sw.beta.grad.data, (x * x * s_ * (1 - s_)).sum(), rtol=1e-13)   # ∂/∂β xσ(βx)
    tg.check_grad(lambda x, b: F.swish(x, b), x, np.array(1.5), order=2)


def test_activation_modules_match_functions():
    x = tg.Tensor(XS)
    for name, f in [("logistic", F.logistic), ("tanh", F.tanh), ("relu", F.relu),
                    ("hard_logistic", F.hard_logistic), ("hard_tanh", F.hard_tanh),
                    ("softplus", F.softplus), ("elu", F.elu), ("swish", F.swish),
                    ("leaky_relu", F.leaky_relu)]:
        assert np.array_equal(nn.get_activation(name)(x).data, f(x).data), name
    with pytest.raises(ValueError, match="unknown activation"):
        nn.get_activation("sigmoidal")


def test_float32_is_kept():
    x = np.array([[0.3, -1.2], [2.0, 0.1]], np.float32)
    for f in (F.logistic, F.tanh, F.hard_logistic, F.hard_tanh, F.relu, F.leaky_relu, F.elu,
              F.swish, F.softplus):
        assert f(x).dtype == np.float32, f
    net = nn.MLP([2, 3, 2], activation="tanh", rng=0, dtype=np.float32)
    out = net(x)
    loss = F.cross_entropy(out, np.array([0, 1]))
    loss.backward()
    assert out.dtype == loss.dtype == np.float32
    assert all(p.grad.dtype == np.float32 for p in net.parameters())
    assert F.squared_error(out, np.zeros((2, 2))).dtype == np.float32       # float64 target cast
    assert nn.MLP([2, 2], rng=0).to(np.float32)(x).dtype == np.float32


# ==== losses ==================================================================================
def test_squared_error_sum_and_mean_rhw_eqs_3_4():
    y = tg.Tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    dd = np.array([[0.0, 2.0], [3.0, 6.0]])
    assert F.squared_error(y, dd, "none").data.tolist() == [0.5, 2.0]        # ½‖d − y‖² per case
    E = F.squared_error(y, dd, "sum")
    assert E.item() == 2.5                                                  # RHW eq. 3
    E.backward()
    assert y.grad.data.tolist() == [[1.0, 0.0], [0.0, -2.0]]               # eq. 4: y − d
    y.grad = None
    F.squared_error(y, dd).backward()
    assert F.squared_error(y, dd).item() == 1.25                            # (1/N)Σ, eq. 5.36
    assert y.grad.data.tolist() == [[0.5, 0.0], [0.0, -1.0]]
    with pytest.raises(ValueError, match="target shape"):
        F.squared_error(y, np.zeros(4))


def test_binary_cross_entropy_from_logits_is_stable_and_exact():
    z = tg.Tensor([[2.0], [-1.0], [0.0]], requires_grad=True)
    t = np.array([[1.0], [0.0], [1.0]])
    want = [math.log(1 + math.exp(-2)), math.log(1 + math.exp(-1)), math.log(2)]
    assert np.allclose(F.binary_cross_entropy_with_logits(z, t, "none").data, want, rtol=1e-14)
    F.binary_cross_entropy_with_logits(z, t, "sum").backward()
    assert np.allclose(z.grad.data, sig(z.data) - t, rtol=1e-14)          # σ(z) − d
    big = F.binary_cross_entropy_with_logits([[1000.0], [1000.0], [-1000.0]],
                                             [[1.0], [0.0], [0.0]], "none")
    assert big.data.tolist() == [0.0, 1000.0, 0.0]
    p = sig(np.array([[0.3], [-2.0]]))
    assert np.allclose(F.binary_cross_entropy(p, [[1.0], [0.0]], "none").data,
                       [-math.log(p[0, 0]), -math.log(1 - p[1, 0])], rtol=1e-12)


def test_softmax_cross_entropy_eq_5_35():
    assert F.cross_entropy([[0.0, 0.0, 0.0]], np.array([1])).item() == pytest.approx(math.log(3))
    logits = np.array([[1.0, 2.0, 0.5], [-1.0, 0.0, 3.0]])
    labels = np.array([2, 0])
    want = [-(0.5 - math.log(math.e + math.e ** 2 + math.e ** 0.5)),
            -(-1.0 - math.log(math.e ** -1 + 1 + math.e ** 3))]
    assert np.allclose(F.cross_entropy(logits, labels, "none").data, want, rtol=1e-14)
    onehot = np.array([[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]])
    assert F.cross_entropy(logits, onehot).item() == pytest.approx(np.mean(want), rel=1e-14)
    assert F.cross_entropy(logits, onehot.astype(int)).item() == pytest.approx(np.mean(want), rel=1e-14)
    z = tg.Tensor(logits, requires_grad=True)
    F.cross_entropy(z, labels).backward()
    soft = np.exp(logits) / np.exp(logits).sum(1, keepdims=True)
    assert np.allclose(z.grad.data, (soft - onehot) / 2, rtol=1e-13)       # (ŷ − y)/N
    huge = F.cross_entropy([[1000.0, 0.0], [1000.0, 0.0]], np.array([0, 1]), "none")
    assert huge.data.tolist() == [0.0, 1000.0]
    assert F.cross_entropy(np.array([0.0, math.log(3)]), np.array(1)).item() == pytest.approx(math.log(4 / 3))
    tg.check_grad(lambda z: F.cross_entropy(z, labels), logits, order=2)
    with pytest.raises(ValueError, match="integer labels"):
        F.cross_entropy(logits, np.array([0.0, 1.0]))


def test_losses_gradcheck_to_second_order():
    rng = np.random.default_rng(6)
    y, dd = rng.standard_normal((3, 2)), rng.standard_normal((3, 2))
    tg.check_grad(lambda y: F.squared_error(y, dd), y, order=2)
    t = (rng.random((3, 2)) > 0.5).astype(float)
    tg.check_grad(lambda z: F.binary_cross_entropy_with_logits(z, t), y, order=2)
    tg.check_grad(lambda p: F.binary_cross_entropy(p, t), sig(y), order=2)


def test_l2_penalty_on_weights_only_eq_5_36():
    net = nn.MLP([2, 3, 1], rng=0)
    for p in nn.non_weights(net):
        p.data = p.data + 5.0                     # biases far from 0: they must not count
    W1, W2 = net[0].weight.data, net[2].weight.data
    pen = F.l2_penalty(net, 0.3)
    assert pen.item() == pytest.approx(0.5 * 0.3 * ((W1 ** 2).sum() + (W2 ** 2).sum()), rel=1e-14)
    pen.backward()
    assert np.allclose(net[0].weight.grad.data, 0.3 * W1) and net[0].bias.grad is None
    assert [id(p) for p in nn.weights(net)] == [id(net[0].weight), id(net[2].weight)]


# ==== BatchNorm (algorithm 5.2) =================================================================
def _batch():
    return np.random.default_rng(4).standard_normal((6, 3)) * [1.0, 3.0, 0.2] + [0.0, -2.0, 5.0]


def test_batchnorm_train_mode_algorithm_5_2():
    x = _batch()
    bn = nn.BatchNorm1d(3)
    bn.gamma.data = np.array([1.0, 2.0, 0.5])
    bn.beta.data = np.array([0.0, 1.0, -1.0])
    y = bn(x).data
    mu = x.sum(0) / 6
    var = ((x - mu) ** 2).sum(0) / 6                                   # the 1/m variance
    assert np.allclose(y, bn.gamma.data * (x - mu) / np.sqrt(var + 1e-5) + bn.beta.data, rtol=1e-12)
    assert np.allclose(y.mean(0), bn.beta.data, atol=1e-12)
    assert np.allclose(y.var(0), bn.gamma.data ** 2 * var / (var + 1e-5), rtol=1e-10)
    # running statistics: momentum 0.1 from (0, 1), with the unbiased variance
    assert np.allclose(bn.running_mean, 0.1 * mu, rtol=1e-14)
    assert np.allclose(bn.running_var, 0.9 + 0.1 * var * 6 / 5, rtol=1e-14)


def test_batchnorm_eval_uses_running_statistics():
    x = _batch()
    bn = nn.BatchNorm1d(3, momentum=None)            # plain average over the batches seen
    bn(x[:3])
    bn(x[3:])
    m1, m2 = x[:3].mean(0), x[3:].mean(0)
    assert np.allclose(bn.running_mean, (m1 + m2) / 2, rtol=1e-14)
    assert np.allclose(bn.running_var, (x[:3].var(0, ddof=1) + x[3:].var(0, ddof=1)) / 2, rtol=1e-14)
    bn.eval()
    y = bn(x).data
    assert np.allclose(y, (x - bn.running_mean) / np.sqrt(bn.running_var + 1e-5), rtol=1e-12)
    assert np.allclose(bn(x[:1]).data, y[:1], rtol=1e-14)             # independent of the batch
    bn.train()
    assert not np.allclose(bn(x[:2]).data, y[:2])
    with pytest.raises(ValueError, match="at least 2"):
        bn(x[:1])


def test_batchnorm_gradcheck_through_the_batch_statistics():
    x = _batch()[:4]
    bn = nn.BatchNorm1d(3)
    f = lambda x, g, b: nn.functional_call(bn, {"gamma": g, "beta": b}, x)
    tg.check_grad(f, x, np.array([1.0, 2.0, 0.5]), np.array([0.1, 0.2, 0.3]), order=2)


# ==== Dropout ===================================================================================
def test_dropout_keep_rate_and_scaling_with_a_seed():
    x = np.full((200, 500), 2.0)
    drop = nn.Dropout(0.2, rng=123)
    y = drop(x).data
    kept = y != 0
    n = kept.size
    # binomial(n, q = 0.8): the kept fraction is within 5 standard deviations of 0.8
    assert abs(kept.mean() - 0.8) < 5 * math.sqrt(0.8 * 0.2 / n)
    assert np.all(y[kept] == 2.0 / 0.8)                      # inverted dropout: x / q
    assert abs(y.mean() - 2.0) < 5 * 2.0 / 0.8 * math.sqrt(0.8 * 0.2 / n)     # E[output] = x
    assert np.array_equal(nn.Dropout(0.2, rng=123)(x).data, y)                # same seed, same mask
    assert not np.array_equal(drop(x).data, y)                               # the next mask differs
    drop.eval()
    assert np.array_equal(drop(x).data, x)                                   # eval: identity
    with pytest.raises(ValueError, match=r"\[0, 1\)"):
        nn.Dropout(1.0)


def test_dropout_gradient_is_the_scaled_mask():
    x = np.array([[0.5, -1.0, 2.0], [1.5, 0.3, -0.7]])
    mask = np.array([[True, False, True], [False, True, True]])
    xt = tg.Tensor(x, requires_grad=True)
    F.dropout(xt, 0.5, mask=mask).sum().backward()
    assert np.array_equal(xt.grad.data, mask / 0.5)
    tg.check_grad(lambda x: F.dropout(x, 0.5, mask=mask) ** 2, x, order=2)


# ==== adaptive activations and the infomax rules (the 2016 joint-learning report) ===============
def _adaptive(cls):
    unit = cls(3)
    assert unit.alpha.data.tolist() == [1, 1, 1] and unit.beta.data.tolist() == [0, 0, 0]
    unit.alpha.data = np.array([0.5, 2.0, 1.3])
    unit.beta.data = np.array([-0.3, 0.4, 1.0])
    return unit


U = np.random.default_rng(2).standard_normal((5, 3))


def test_adaptive_logistic_forward_and_error_gradient():
    unit = nn.AdaptiveLogistic(3)
    assert np.allclose(unit(U).data, sig(U))                   # α = 1, β = 0: the logistic function
    unit = _adaptive(nn.AdaptiveLogistic)
    a, b = unit.alpha.data, unit.beta.data
    assert np.allclose(unit(U).data, 1 / (1 + np.exp(-(a * U + b))), rtol=1e-14)
    f = lambda u, a, b: nn.functional_call(unit, {"alpha": a, "beta": b}, u)
    tg.check_grad(f, U, a, b, order=2)
    unit(U).sum().backward()                                  # α, β are ordinary parameters
    y = sig(a * U + b)
    assert np.allclose(unit.alpha.grad.data, (y * (1 - y) * U).sum(0), rtol=1e-13)
    assert np.allclose(unit.beta.grad.data, (y * (1 - y)).sum(0), rtol=1e-13)


def test_infomax_logistic_rules_2_10_2_11():
    unit = _adaptive(nn.AdaptiveLogistic)
    a, b = unit.alpha.data, unit.beta.data
    da, db = unit.infomax_grad(U)
    y = sig(a * U + b)
    assert np.allclose(da.data, (1 / a + U * (1 - 2 * y)).mean(0), rtol=1e-12)     # (2.10), (3.9)
    assert np.allclose(db.data, (1 - 2 * y).mean(0), rtol=1e-12)                   # (2.11), (3.9)
    assert unit.alpha.grad is None                                                  # nothing written
    # one sample (a 1-D u): the rules without the average, as in the report's §2
    da1, db1 = unit.infomax_grad(U[0])
    assert np.allclose(da1.data, 1 / a + U[0] * (1 - 2 * y[0]), rtol=1e-12)
    assert np.allclose(db1.data, 1 - 2 * y[0], rtol=1e-12)


def test_infomax_logistic_rule_is_finite_far_in_the_tail():
    unit = nn.AdaptiveLogistic(1)                      # α = 1, β = 0; y = σ(40) rounds to 1
    da, db = unit.infomax_grad(np.array([[40.0]]))
    assert np.isclose(da.item(), 1 + 40 * (1 - 2 * 1.0), rtol=1e-12)          # (2.10): 1/α + u(1 − 2y)
    assert np.isclose(db.item(), -1.0, rtol=1e-12)                             # (2.11): 1 − 2y


def test_infomax_tanh_rules_B4_B5():
    unit = _adaptive(nn.AdaptiveTanh)
    a, b = unit.alpha.data, unit.beta.data
    assert np.allclose(unit(U).data, np.tanh(a * U + b), rtol=1e-14)
    da, db = unit.infomax_grad(U)
    y = np.tanh(a * U + b)
    assert np.allclose(da.data, (1 / a - 2 * U * y).mean(0), rtol=1e-12)            # (B.4)
    assert np.allclose(db.data, (-2 * y).mean(0), rtol=1e-12)                       # (B.5)
    f = lambda u, a, b: nn.functional_call(unit, {"alpha": a, "beta": b}, u)
    tg.check_grad(f, U, a, b, order=2)


def test_infomax_step_ascends_the_entropy():
    unit = _adaptive(nn.AdaptiveLogistic)
    a0, b0 = unit.alpha.data.copy(), unit.beta.data.copy()
    H0 = unit.log_slope(U).data.mean(0)
    da, db = unit.infomax_step(U, lr=0.01)
    assert np.allclose(unit.alpha.data, a0 + 0.01 * da.data) and np.allclose(unit.beta.data, b0 + 0.01 * db.data)
    H1 = unit.log_slope(U).data.mean(0)
    y = sig(a0 * U + b0)
    assert np.allclose(H0, np.log(a0 * y * (1 - y)).mean(0), rtol=1e-12)    # log|∂y/∂u|, eq. 2.8
    assert np.all(H1 > H0)                                                  # a small ascent step
    with pytest.raises(ValueError, match="3 units"):
        unit.infomax_grad(np.ones((2, 4)))


# ==== training ==================================================================================
def test_xor_is_learned_by_a_2_4_1_net():
    X, y = datasets.xor()
    for seed in range(3):
        net = nn.MLP([2, 4, 1], activation="tanh", rng=seed)
        opt = optim.SGD(net.parameters(), lr=0.5, momentum=0.9)
        out = io.StringIO()
        hist = fit(net, F.binary_cross_entropy_with_logits, opt, X, y, epochs=150, threshold=0.0,
                   file=out)
        assert len(hist.loss) == len(hist.accuracy) == 150
        assert hist.accuracy[-1] == 1.0 and hist.loss[-1] < 0.05 < hist.loss[0]
        with tg.no_grad():
            assert ((net(X).data > 0) == (y > 0.5)).all()
        text = out.getvalue()
        assert "epoch 150/150 [########################] loss" in text and "acc 1.000" in text


def test_rhw_fig1_mirror_symmetry_solution():
    """RHW fig. 1 with RHW's settings: a 6-2-1 logistic net, initial weights uniform in [−0.3, 0.3],
    full-batch descent on E (eq. 3) with ε = 0.1, α = 0.9. (With this seed it takes about 2200
    sweeps where RHW report 1425; the starting weights differ.) The caption's description of the
    solution: weights symmetric about the middle are equal in size and opposite in sign, in the
    ratio 1:2:4; the two hidden units have the same pattern with opposite signs and negative
    biases; the output unit has a positive bias and is inhibited by the hidden units."""
    X, y = datasets.mirror_symmetry()
    net = nn.MLP([6, 2, 1], activation="logistic", output_activation="logistic",
                 init=partial(init.uniform, low=-0.3, high=0.3), rng=2)
    opt = optim.SGD(net.parameters(), lr=0.1, momentum=0.9)
    hist = fit(net, lambda out, d: F.squared_error(out, d, "sum"), opt, X, y, epochs=2500,
               verbose=False)
    assert hist.accuracy[-1] == 1.0                                  # all 64 patterns
    W, b = net[0].weight.data, net[0].bias.data
    scale = np.abs(W).max()
    assert np.allclose(W[:, :3], -W[:, ::-1][:, :3], atol=0.02 * scale)      # w_i = −w_{7−i}
    assert np.allclose(W[0], -W[1], atol=0.02 * scale)                       # opposite units
    mags = np.sort(np.abs(W[0, :3]))
    assert np.allclose(mags / mags[0], [1, 2, 4], rtol=0.05)                 # 1:2:4
    assert np.all(b < 0) and net[2].bias.item() > 0 and np.all(net[2].weight.data < 0)


def test_accuracy_rules():
    assert accuracy(np.array([[0.1, 0.9], [0.8, 0.2]]), np.array([1, 1])) == 0.5         # argmax
    assert accuracy(np.array([[0.1, 0.9], [0.8, 0.2]]), np.array([[0.0, 1.0], [1.0, 0.0]])) == 1.0
    assert accuracy(np.array([[0.7], [0.2], [0.6]]), np.array([[1.0], [0.0], [0.0]])) == pytest.approx(2 / 3)
    assert accuracy(np.array([[0.7, 0.6], [0.2, 0.9]]), np.array([[1.0, 1.0], [0.0, 0.0]])) == 0.5
    # a two-answer row (thresholds) beside a one-answer row (argmax: 0.4 is its largest output):
    # both right, as each is alone; the batch does not change how a row is judged
    out, t = np.array([[0.9, 0.8, 0.1], [0.3, 0.4, 0.1]]), np.array([[1.0, 1.0, 0.0], [0.0, 1.0, 0.0]])
    assert accuracy(out, t) == 1.0 and accuracy(out[1:], t[1:]) == 1.0
    assert accuracy(np.array([[2.0], [-1.0]]), np.array([[1.0], [0.0]]), threshold=0.0) == 1.0
    assert accuracy(np.array([[2.0], [-1.0], [0.5]]), np.array([1, 0, 0]), threshold=0.0) == pytest.approx(2 / 3)


def test_fit_with_minibatches_and_validation():
    X, y = datasets.moons(120, noise=0.1, seed=0)
    net = nn.MLP([2, 8, 2], activation="tanh", rng=0)
    out = io.StringIO()
    hist = fit(net, F.cross_entropy, optim.Adam(net.parameters(), lr=0.05), X[:100], y[:100],
               epochs=30, batch_size=16, seed=0, validation=(X[100:], y[100:]), file=out, log_every=10)
    assert len(hist.val_loss) == len(hist.val_accuracy) == hist.epochs == 30
    assert hist.accuracy[-1] > 0.8 and hist.val_accuracy[-1] > 0.8 and hist.loss[-1] < hist.loss[0]
    assert [ln.split()[1] for ln in out.getvalue().splitlines()] == ["1/30", "10/30", "20/30", "30/30"]
    assert "val_acc" in out.getvalue()


# ==== issue 9: an attribute never hides a Module method ============================================
def test_prelu_num_parameters_is_the_method():
    per, shared = nn.PReLU(3), nn.PReLU()
    assert per.num_parameters() == 3 and shared.num_parameters() == 1
    assert repr(per) == "PReLU(num_parameters=3)"
    assert nn.Sequential(nn.Linear(2, 3, rng=0), per).num_parameters() == 2 * 3 + 3 + 3


def test_an_attribute_that_would_hide_a_module_method_is_refused():
    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.parameters = [1.0]

    with pytest.raises(AttributeError, match=r"Net\.parameters: .*Module\.parameters\(\)"):
        Net()


# ==== issue 11: cross-entropy with labels gathers instead of building a one-hot matrix ==============
def _prims(t):
    seen, stack, names = set(), [t], []
    while stack:
        n = stack.pop()
        if id(n) in seen:
            continue
        seen.add(id(n))
        if n.prim is not None:
            names.append(n.prim.name)
        stack.extend(n.inputs)
    return names


@pytest.mark.parametrize("shape", [(5, 4), (4,), (3, 2, 4)])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_cross_entropy_gathers_at_the_labels_with_the_one_hot_numbers(shape, reduction):
    rng = np.random.default_rng(3)
    logits = rng.standard_normal(shape) * 3
    labels = rng.integers(0, shape[-1], shape[:-1])
    onehot = np.eye(shape[-1])[labels]
    za, zb = tg.Tensor(logits, requires_grad=True), tg.Tensor(logits, requires_grad=True)
    by_label = F.cross_entropy(za, labels, reduction)
    by_rows = F.cross_entropy(zb, onehot, reduction)
    assert "getitem" in _prims(by_label)
    assert by_label.shape == by_rows.shape
    assert np.allclose(by_label.data, by_rows.data, rtol=0, atol=1e-12)
    seed = rng.standard_normal(by_label.shape)
    (by_label * seed).sum().backward()
    (by_rows * seed).sum().backward()
    assert np.allclose(za.grad.data, zb.grad.data, rtol=0, atol=1e-12)
    with pytest.raises(ValueError, match=r"labels must be in \[0, 4\)"):    # never wraps around
        F.cross_entropy(za, np.full(shape[:-1], -1), reduction)
