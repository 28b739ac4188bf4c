"""Parameter initialisation (邱锡鹏,《神经网络与深度学习》 2020, draft §5.7.4; published §7.3; see
docs/references.md).

Every function returns a new NumPy array of the given ``shape`` and ``dtype`` (float64 by default)
and takes ``rng``: ``None`` (this module's generator, reseeded by ``manual_seed``), an ``int`` seed,
or a ``numpy.random.Generator`` (used as is, so consecutive layers drawn from one generator get
different weights).

Weight matrices are in NNDL's orientation, W⁽ˡ⁾ ∈ R^{n_l × n_{l−1}} (eq. 5.26): ``shape[0]`` is the
number of units of the layer (fan-out, n_l) and ``shape[1]`` the number of its inputs (fan-in,
n_{l−1}).

Xavier / Glorot (eqs. 5.90, 5.91, 5.97–5.101): Var(w) = 2/(n_{l−1} + n_l) (5.99), so a uniform law
on [−r, r] has r = √(6/(n_{l−1} + n_l)) (5.101), times a gain of 4 for logistic units (σ'(0) = 1/4)
and 1 for tanh. The book's draft labels 5.90 and 5.91 the other way round; Glorot & Bengio (2010),
the published book and this module put the 4 on the logistic function. The derivation and the
label swap: docs/derivations/xavier.md.
"""
import numpy as np

_default = [np.random.default_rng()]

#: The factor by which Xavier's r (or standard deviation) is multiplied for each activation: the
#: inverse of the activation's slope at 0 (logistic: 1/σ'(0) = 4; tanh: 1/tanh'(0) = 1).
XAVIER_GAIN = {"logistic": 4.0, "sigmoid": 4.0, "tanh": 1.0, "linear": 1.0, "identity": 1.0}


def manual_seed(seed):
    """Reseed the generator that ``rng=None`` uses everywhere (layers, dropout, data shuffling)."""
    _default[0] = np.random.default_rng(seed)
    return _default[0]


def as_rng(rng=None):
    """``None`` → the module's generator; an int → a new generator with that seed; a Generator → itself."""
    if rng is None:
        return _default[0]
    if isinstance(rng, np.random.Generator):
        return rng
    if isinstance(rng, (int, np.integer)) and not isinstance(rng, bool):
        return np.random.default_rng(int(rng))
    raise TypeError(f"rng must be None, an int seed or a numpy.random.Generator, got "
                    f"{type(rng).__name__}")


def _shape(shape):
    return (int(shape),) if isinstance(shape, (int, np.integer)) else tuple(int(n) for n in shape)


def fans(shape):
    """(fan_in, fan_out) = (n_{l−1}, n_l) of a weight of shape (n_l, n_{l−1}); a vector has both n."""
    shape = _shape(shape)
    if len(shape) == 0:
        return 1, 1
    if len(shape) == 1:
        return shape[0], shape[0]
    return int(np.prod(shape[1:])), shape[0]


def _gain(gain, activation):
    if activation is None:
        return float(gain)
    try:
        return float(gain) * XAVIER_GAIN[activation]
    except KeyError:
        raise ValueError(f"xavier: no gain known for activation {activation!r}; known: "
                         f"{sorted(XAVIER_GAIN)} (or pass gain= yourself)") from None


def zeros(shape, dtype=np.float64, rng=None):
    return np.zeros(_shape(shape), dtype)


def ones(shape, dtype=np.float64, rng=None):
    return np.ones(_shape(shape), dtype)


def constant(shape, value, dtype=np.float64, rng=None):
    return np.full(_shape(shape), value, dtype)


def uniform(shape, low=-0.3, high=0.3, dtype=np.float64, rng=None):
    """U[low, high]; the default is RHW's fig. 1 start: "uniformly distributed between −0.3 and 0.3"."""
    return as_rng(rng).uniform(low, high, _shape(shape)).astype(dtype)


def normal(shape, mean=0.0, std=0.1, dtype=np.float64, rng=None):
    """Gaussian initialisation (NNDL §5.7.4): N(mean, std²); the default is the book's example,
    mean 0 and variance 0.01 (std 0.1)."""
    return (mean + std * as_rng(rng).standard_normal(_shape(shape))).astype(dtype)


def xavier_uniform(shape, gain=1.0, activation=None, dtype=np.float64, rng=None):
    """U[−r, r] with r = gain·√(6/(n_{l−1} + n_l)) (eq. 5.101); ``activation="logistic"`` multiplies
    the gain by 4, ``"tanh"`` by 1 (docs/derivations/xavier.md on eqs. 5.90/5.91)."""
    fan_in, fan_out = fans(shape)
    r = _gain(gain, activation) * np.sqrt(6.0 / (fan_in + fan_out))
    return as_rng(rng).uniform(-r, r, _shape(shape)).astype(dtype)


def xavier_normal(shape, gain=1.0, activation=None, dtype=np.float64, rng=None):
    """N(0, gain²·2/(n_{l−1} + n_l)) (the variance of eq. 5.99)."""
    fan_in, fan_out = fans(shape)
    std = _gain(gain, activation) * np.sqrt(2.0 / (fan_in + fan_out))
    return (std * as_rng(rng).standard_normal(_shape(shape))).astype(dtype)


def he_normal(shape, dtype=np.float64, rng=None):
    """He et al. (2015), for ReLU units: N(0, 2/n_{l−1}). A ReLU passes half of a symmetric input
    on average, halving the second moment, so eq. 5.97's Var(w) = 1/n_{l−1} is doubled."""
    fan_in, _ = fans(shape)
    return (np.sqrt(2.0 / fan_in) * as_rng(rng).standard_normal(_shape(shape))).astype(dtype)


def he_uniform(shape, dtype=np.float64, rng=None):
    """U[−r, r] with the variance of ``he_normal``: r = √(6/n_{l−1})."""
    fan_in, _ = fans(shape)
    r = np.sqrt(6.0 / fan_in)
    return as_rng(rng).uniform(-r, r, _shape(shape)).astype(dtype)


INITIALISERS = {"zeros": zeros, "ones": ones, "uniform": uniform, "normal": normal,
                "gaussian": normal, "xavier_uniform": xavier_uniform, "xavier": xavier_uniform,
                "glorot_uniform": xavier_uniform, "xavier_normal": xavier_normal,
                "glorot_normal": xavier_normal, "he_normal": he_normal, "kaiming_normal": he_normal,
                "he_uniform": he_uniform, "kaiming_uniform": he_uniform}


def get(init):
    """An initialiser by name (``"xavier_uniform"``, ``"he_normal"``, ...) or a callable as is.

    A callable is called as ``init(shape, dtype=..., rng=...)``."""
    if callable(init):
        return init
    try:
        return INITIALISERS[init]
    except KeyError:
        raise ValueError(f"unknown initialiser {init!r}; known: {sorted(INITIALISERS)}, or pass a "
                         "function init(shape, dtype=..., rng=...)") from None
