"""Layers: Module, Parameter, Linear, Sequential, MLP, activation modules, Dropout, BatchNorm1d and
seed 000's adaptive units (``from tinygrad_cn import nn``). Names follow PyTorch.

A ``Module`` registers the ``Parameter``s, sub-``Module``s and buffers assigned to its attributes,
in assignment order, so ``parameters()``, ``named_parameters()``, ``zero_grad()``, ``train()`` /
``eval()`` and ``state_dict()`` find them; calling a module calls its ``forward``. Layers use NNDL's
notation (seed 001 ch. 5, published ch. 4): a layer l has n_l units, its weight is W⁽ˡ⁾ ∈
R^{n_l × n_{l−1}} and its net input z⁽ˡ⁾ = W⁽ˡ⁾ a⁽ˡ⁻¹⁾ + b⁽ˡ⁾ (eq. 5.26); a batch holds one sample
per row, so a layer computes Z = X Wᵀ + b.

The layers are compositions of engine ops: the gradients of every parameter come from the
recorded graph, in reverse or forward mode, to any order.
"""
import contextlib
from collections import OrderedDict

import numpy as np

from . import functional as F
from . import init as _init
from ..core import ops
from ..core.autodiff import grad as _grad
from ..core.autodiff import zero_grad as _zero_grad
from ..core.tensor import Tensor, _checked_array

__all__ = ["Parameter", "Module", "functional_call", "weights", "non_weights", "Linear",
           "Sequential", "MLP", "Identity", "Logistic", "Sigmoid", "Tanh", "HardLogistic",
           "HardTanh", "ReLU", "LeakyReLU", "PReLU", "Softplus", "Maxout", "ELU", "Swish",
           "Softmax", "LogSoftmax", "Dropout", "BatchNorm1d", "AdaptiveLogistic", "AdaptiveTanh",
           "ACTIVATIONS", "get_activation"]


class Parameter(Tensor):
    """A tensor that is a learnable parameter: it requires grad, and assigning it to an attribute
    of a Module registers it there. Integer data becomes float64; float32 data stays float32."""

    __slots__ = ()

    def __init__(self, data, name=None, dtype=None):
        arr = _checked_array(data.data if isinstance(data, Tensor) else data, dtype)
        if dtype is None and arr.dtype.kind in "biu":
            arr = arr.astype(np.float64)
        super().__init__(arr, requires_grad=True, name=name)

    def __repr__(self):
        return "Parameter" + super().__repr__()[len("Tensor"):].replace(", requires_grad=True", "")


class Module:
    """Base class of layers and networks: subclasses set attributes in ``__init__`` (after calling
    ``super().__init__()``) and define ``forward``."""

    def __init__(self):
        object.__setattr__(self, "_parameters", OrderedDict())
        object.__setattr__(self, "_modules", OrderedDict())
        object.__setattr__(self, "_buffers", OrderedDict())
        object.__setattr__(self, "training", True)

    # ---- attribute registration ------------------------------------------------------------
    def __setattr__(self, name, value):
        d = self.__dict__
        if "_parameters" not in d:
            raise AttributeError(f"{type(self).__name__}: call super().__init__() in __init__ before "
                                 f"assigning attribute {name!r}")
        params, modules, buffers = d["_parameters"], d["_modules"], d["_buffers"]
        if isinstance(value, Parameter):
            self._forget(name)
            params[name] = value
        elif isinstance(value, Module):
            self._forget(name)
            modules[name] = value
        elif name in params:
            if value is not None:
                raise TypeError(f"{type(self).__name__}.{name} is a Parameter: assign a Parameter "
                                f"(or None), not {type(value).__name__}; to change its values, "
                                f"assign to .{name}.data")
            params[name] = None
        elif name in modules:
            if value is not None:
                raise TypeError(f"{type(self).__name__}.{name} is a sub-module: assign a Module "
                                f"(or None), not {type(value).__name__}")
            modules[name] = None
        elif name in buffers:
            buffers[name] = None if value is None else np.asarray(
                value.data if isinstance(value, Tensor) else value)
        else:
            object.__setattr__(self, name, value)

    def _forget(self, name):
        for store in (self._parameters, self._modules, self._buffers):
            store.pop(name, None)
        self.__dict__.pop(name, None)

    def __getattr__(self, name):
        d = self.__dict__
        if "_parameters" not in d:
            raise AttributeError(f"{type(self).__name__}.{name}: the module is not initialised; call "
                                 "super().__init__() first in __init__")
        for store in ("_parameters", "_modules", "_buffers"):
            if store in d and name in d[store]:
                return d[store][name]
        raise AttributeError(f"{type(self).__name__} has no attribute {name!r}")

    def __delattr__(self, name):
        if any(name in s for s in (self._parameters, self._modules, self._buffers)):
            self._forget(name)
        else:
            object.__delattr__(self, name)

    def register_buffer(self, name, value):
        """A state array that is not learned (e.g. BatchNorm's running mean): saved by
        ``state_dict`` and converted by ``to``, but not returned by ``parameters()``."""
        self._forget(name)
        self._buffers[name] = None if value is None else np.asarray(value)

    def register_parameter(self, name, param):
        if param is not None and not isinstance(param, Parameter):
            raise TypeError(f"register_parameter: {name!r} must be a Parameter or None")
        self._forget(name)
        self._parameters[name] = param

    def add_module(self, name, module):
        if module is not None and not isinstance(module, Module):
            raise TypeError(f"add_module: {name!r} must be a Module or None")
        self._forget(name)
        self._modules[name] = module

    # ---- walking the tree --------------------------------------------------------------------
    def named_modules(self, prefix=""):
        """(name, module) for this module and all below it, each once."""
        seen, stack = set(), [(prefix, self)]
        while stack:
            name, m = stack.pop()
            if id(m) in seen:
                continue
            seen.add(id(m))
            yield name, m
            children = [(f"{name}.{k}" if name else k, c) for k, c in m._modules.items() if c is not None]
            stack.extend(reversed(children))

    def modules(self):
        return [m for _, m in self.named_modules()]

    def named_children(self):
        return [(k, m) for k, m in self._modules.items() if m is not None]

    def children(self):
        return [m for _, m in self.named_children()]

    def named_parameters(self, prefix=""):
        """(dotted name, Parameter) in registration order; a parameter shared by several modules
        (RHW fig. 5: an iterated net is a layered net with shared weights) is listed once."""
        seen = set()
        out = []
        for mname, m in self.named_modules(prefix):
            for k, p in m._parameters.items():
                if p is not None and id(p) not in seen:
                    seen.add(id(p))
                    out.append((f"{mname}.{k}" if mname else k, p))
        return out

    def parameters(self):
        return [p for _, p in self.named_parameters()]

    def named_buffers(self, prefix=""):
        out = []
        for mname, m in self.named_modules(prefix):
            for k, b in m._buffers.items():
                if b is not None:
                    out.append((f"{mname}.{k}" if mname else k, b))
        return out

    def num_parameters(self):
        """The number of learnable numbers (shared parameters counted once)."""
        return int(sum(p.size for p in self.parameters()))

    # ---- training helpers ----------------------------------------------------------------------
    def zero_grad(self):
        """Set ``.grad`` of every parameter to None (gradients add up over backward calls)."""
        _zero_grad(self.parameters())

    def train(self, mode=True):
        """Training mode (Dropout drops, BatchNorm uses batch statistics), for this module and all
        below it; returns self."""
        for m in self.modules():
            object.__setattr__(m, "training", bool(mode))
        return self

    def eval(self):
        """Evaluation mode (Dropout passes through, BatchNorm uses its running statistics)."""
        return self.train(False)

    def to(self, dtype):
        """Convert every parameter and floating buffer to ``dtype`` (e.g. ``np.float32``), in place;
        returns self."""
        dtype = np.dtype(dtype)
        if dtype.kind != "f":
            raise TypeError(f"to: parameters must be floating, got {dtype}")
        for p in self.parameters():
            p.data = p.data.astype(dtype)
            p.grad = None
        for m in self.modules():
            for k, b in list(m._buffers.items()):
                if b is not None and b.dtype.kind == "f":
                    m._buffers[k] = b.astype(dtype)
        return self

    # ---- state ------------------------------------------------------------------------------------
    def state_dict(self):
        """{dotted name: copy of the array} for every parameter and buffer."""
        out = OrderedDict((k, p.data.copy()) for k, p in self.named_parameters())
        out.update((k, np.array(b, copy=True)) for k, b in self.named_buffers())
        return out

    def load_state_dict(self, state, strict=True):
        """Copy arrays from ``state`` into the parameters and buffers of the same names, cast to
        their dtypes. Everything is checked before anything changes: a name missing from ``state``,
        a name ``state`` has that the module lacks (with ``strict``), or a wrong shape raises
        KeyError / ValueError naming it."""
        targets = OrderedDict()
        for k, p in self.named_parameters():
            targets[k] = ("param", p)
        for mname, m in self.named_modules():
            for k, b in m._buffers.items():
                if b is not None:
                    targets[f"{mname}.{k}" if mname else k] = ("buffer", (m, k))
        missing = [k for k in targets if k not in state]
        unexpected = [k for k in state if k not in targets]
        if missing or (strict and unexpected):
            parts = []
            if missing:
                parts.append(f"missing {missing}")
            if strict and unexpected:
                parts.append(f"unexpected {unexpected}")
            raise KeyError(f"load_state_dict: {type(self).__name__} and the saved state do not match: "
                           f"{'; '.join(parts)} (the module has {list(targets)})")
        arrays = {}
        for k, (kind, t) in targets.items():
            arr = np.asarray(state[k])
            cur = t.data if kind == "param" else t[0]._buffers[t[1]]
            if arr.shape != cur.shape:
                raise ValueError(f"load_state_dict: {k!r} has shape {arr.shape} in the saved state but "
                                 f"{cur.shape} in the module (was it saved from a different "
                                 "architecture?)")
            if arr.dtype.kind not in "biuf":
                raise TypeError(f"load_state_dict: {k!r} has dtype {arr.dtype}; numbers expected")
            arrays[k] = arr.astype(cur.dtype, copy=True)
        for k, (kind, t) in targets.items():
            if kind == "param":
                t.data = arrays[k]
                t.grad = None
            else:
                t[0]._buffers[t[1]] = arrays[k]
        return self

    # ---- calling ------------------------------------------------------------------------------------
    def forward(self, *args, **kwargs):
        raise NotImplementedError(f"{type(self).__name__} must define forward()")

    def __call__(self, *args, **kwargs):
        return self.forward(*args, **kwargs)

    def extra_repr(self):
        return ""

    def __repr__(self):
        children = self.named_children()
        head = f"{type(self).__name__}({self.extra_repr()}"
        if not children:
            return head + ")"
        lines = [head]
        for k, m in children:
            sub = repr(m).replace("\n", "\n  ")
            lines.append(f"  ({k}): {sub}")
        return "\n".join(lines) + "\n)"


@contextlib.contextmanager
def _swapped(module, params):
    names = dict(module.named_parameters())
    unknown = [k for k in params if k not in names]
    if unknown:
        raise KeyError(f"functional_call: {type(module).__name__} has no parameters {unknown}; it has "
                       f"{list(names)}")
    owners = {}
    for mname, m in module.named_modules():
        for k, p in m._parameters.items():
            if p is not None:
                owners.setdefault(id(p), []).append((m, k))
    saved = []
    try:
        for full, value in params.items():
            for m, k in owners[id(names[full])]:
                saved.append((m, k, m._parameters[k]))
                m._parameters[k] = value if isinstance(value, Tensor) else Tensor(value)
        yield
    finally:
        for m, k, p in reversed(saved):
            m._parameters[k] = p


def functional_call(module, params, *args, **kwargs):
    """Call ``module(*args, **kwargs)`` with some parameters replaced by the tensors in ``params``
    ({dotted name: tensor}), as ``torch.func.functional_call``: the module as a function of its
    parameters, e.g. for ``tg.check_grad(lambda W, b: functional_call(layer, {"weight": W, "bias":
    b}, x), W0, b0)``. The module's own parameters are restored afterwards."""
    with _swapped(module, params):
        return module(*args, **kwargs)


def weights(module):
    """The weight matrices of ``module``: parameters named ``weight`` (Linear, Maxout). These are
    the W of eq. 5.36's ½λ‖W‖²_F; use them for weight decay."""
    return [p for k, p in module.named_parameters() if k.rsplit(".", 1)[-1] == "weight"]


def non_weights(module):
    """Every other parameter (biases, BatchNorm's γ, β, PReLU slopes, adaptive α, β)."""
    ids = {id(p) for p in weights(module)}
    return [p for p in module.parameters() if id(p) not in ids]


# ==== layers ===================================================================================
class Identity(Module):
    def forward(self, x):
        return x


class Linear(Module):
    """z = W a + b (eq. 5.26): ``weight`` W of shape (out_features, in_features) = (n_l, n_{l−1}),
    ``bias`` b of shape (out_features,); a batch X of shape (N, in_features) gives X Wᵀ + b.

    ``init`` names an initialiser of ``tinygrad_cn.init`` (default ``"xavier_uniform"``, eq. 5.101)
    or is a function ``init(shape, dtype=..., rng=...)``; ``activation`` (``"logistic"`` or
    ``"tanh"``) sets Xavier's gain (4 or 1, see ``init``). Biases start at 0. ``rng``: None, a seed
    or a numpy Generator. ``dtype``: float64 by default, or np.float32."""

    def __init__(self, in_features, out_features, bias=True, init="xavier_uniform",
                 activation=None, rng=None, dtype=np.float64):
        super().__init__()
        self.in_features, self.out_features = int(in_features), int(out_features)
        fn = _init.get(init)
        kw = {"activation": activation} if activation is not None and fn in (
            _init.xavier_uniform, _init.xavier_normal) else {}
        self.weight = Parameter(fn((self.out_features, self.in_features), dtype=dtype,
                                   rng=_init.as_rng(rng), **kw))
        if bias:
            self.bias = Parameter(np.zeros(self.out_features, dtype))
        else:
            self.bias = None

    def forward(self, x):
        x = x if isinstance(x, Tensor) else Tensor(x)
        if x.ndim == 0 or x.shape[-1] != self.in_features:
            raise ValueError(f"Linear({self.in_features}, {self.out_features}): the input's last axis "
                             f"must have {self.in_features} features, got shape {x.shape}")
        return F.linear(x, self.weight, self.bias)

    def extra_repr(self):
        return (f"in_features={self.in_features}, out_features={self.out_features}, "
                f"bias={self.bias is not None}")


class Sequential(Module):
    """Modules applied in order: a⁽⁰⁾ = x → z⁽¹⁾ → a⁽¹⁾ → … → a⁽ᴸ⁾ (eq. 5.30). Registered under the
    names "0", "1", ...; indexable and iterable."""

    def __init__(self, *modules):
        super().__init__()
        if len(modules) == 1 and isinstance(modules[0], (list, tuple)):
            modules = tuple(modules[0])
        for i, m in enumerate(modules):
            if not isinstance(m, Module):
                raise TypeError(f"Sequential: item {i} is a {type(m).__name__}, not a Module")
            self.add_module(str(i), m)

    def __getitem__(self, i):
        mods = list(self._modules.values())
        if isinstance(i, slice):
            return Sequential(*mods[i])
        return mods[i]

    def __len__(self):
        return len(self._modules)

    def __iter__(self):
        return iter(list(self._modules.values()))

    def append(self, module):
        self.add_module(str(len(self)), module)
        return self

    def forward(self, x):
        for m in self._modules.values():
            x = m(x)
        return x


# ---- activation modules ------------------------------------------------------------------------
class _Elementwise(Module):
    _fn = None

    def forward(self, x):
        return type(self)._fn(x)


class Logistic(_Elementwise):
    """σ(x) = 1/(1 + e^{−x}) (eq. 5.4)."""
    _fn = staticmethod(F.logistic)


Sigmoid = Logistic


class Tanh(_Elementwise):
    """tanh (eq. 5.5)."""
    _fn = staticmethod(F.tanh)


class HardLogistic(_Elementwise):
    """max(min(0.25x + 0.5, 1), 0) (eq. 5.11)."""
    _fn = staticmethod(F.hard_logistic)


class HardTanh(_Elementwise):
    """max(min(x, 1), −1) (eq. 5.15)."""
    _fn = staticmethod(F.hard_tanh)


class ReLU(_Elementwise):
    """max(0, x) (eq. 5.17)."""
    _fn = staticmethod(F.relu)


class Softplus(_Elementwise):
    """log(1 + e^x) (eq. 5.22)."""
    _fn = staticmethod(F.softplus)


class LeakyReLU(Module):
    """max(0, x) + λ min(0, x) (eq. 5.19), λ = ``negative_slope``."""

    def __init__(self, negative_slope=0.01):
        super().__init__()
        self.negative_slope = float(negative_slope)

    def forward(self, x):
        return F.leaky_relu(x, self.negative_slope)

    def extra_repr(self):
        return f"negative_slope={self.negative_slope}"


class PReLU(Module):
    """max(0, x) + a_i min(0, x) (eq. 5.21) with learnable slopes ``a``: one per
    neuron (``num_parameters=n``, broadcast over the last axis) or one shared by all
    (``num_parameters=1``, the default), initialised to ``init`` (0.25, as He et al.)."""

    def __init__(self, num_parameters=1, init=0.25, dtype=np.float64):
        super().__init__()
        self.num_parameters = int(num_parameters)
        self.a = Parameter(np.full(() if self.num_parameters == 1 else (self.num_parameters,),
                                   init, dtype))

    def forward(self, x):
        x = x if isinstance(x, Tensor) else Tensor(x)
        if self.num_parameters > 1 and (x.ndim == 0 or x.shape[-1] != self.num_parameters):
            raise ValueError(f"PReLU({self.num_parameters}): the input's last axis must have "
                             f"{self.num_parameters} neurons, got shape {x.shape}")
        return F.prelu(x, self.a)

    def extra_repr(self):
        return f"num_parameters={self.num_parameters}"


class ELU(Module):
    def __init__(self, alpha=1.0):
        super().__init__()
        self.alpha = float(alpha)

    def forward(self, x):
        return F.elu(x, self.alpha)


class Swish(Module):
    """x·σ(βx); ``learnable=True`` makes β a Parameter."""

    def __init__(self, beta=1.0, learnable=False, dtype=np.float64):
        super().__init__()
        if learnable:
            self.beta = Parameter(np.asarray(beta, dtype))
        else:
            self.beta = float(beta)

    def forward(self, x):
        return F.swish(x, self.beta)


class Softmax(Module):
    def __init__(self, axis=-1):
        super().__init__()
        self.axis = axis

    def forward(self, x):
        return F.softmax(x, self.axis)


class LogSoftmax(Softmax):
    def forward(self, x):
        return F.log_softmax(x, self.axis)


class Maxout(Module):
    """A layer of maxout units (eqs. 5.23–5.25): each of the ``out_features`` units has k weight
    vectors w_i and biases b_i and outputs max_i (w_iᵀx + b_i). ``weight`` has shape
    (out_features·k, in_features): rows u·k … u·k + k − 1 belong to unit u."""

    def __init__(self, in_features, out_features, k=2, init="xavier_uniform", rng=None,
                 dtype=np.float64):
        super().__init__()
        self.in_features, self.out_features, self.k = int(in_features), int(out_features), int(k)
        self.weight = Parameter(_init.get(init)((self.out_features * self.k, self.in_features),
                                                dtype=dtype, rng=_init.as_rng(rng)))
        self.bias = Parameter(np.zeros(self.out_features * self.k, dtype))

    def forward(self, x):
        return F.maxout(F.linear(x, self.weight, self.bias), self.k)

    def extra_repr(self):
        return f"in_features={self.in_features}, out_features={self.out_features}, k={self.k}"


ACTIVATIONS = {"logistic": Logistic, "sigmoid": Logistic, "tanh": Tanh,
               "hard_logistic": HardLogistic, "hard_tanh": HardTanh, "relu": ReLU,
               "leaky_relu": LeakyReLU, "prelu": PReLU, "softplus": Softplus, "elu": ELU,
               "swish": Swish, "identity": Identity, "linear": Identity, "softmax": Softmax}


def get_activation(name):
    """A new activation module by name ("logistic", "tanh", "relu", ...), or a Module as is."""
    if isinstance(name, Module):
        return name
    if isinstance(name, type) and issubclass(name, Module):
        return name()
    try:
        return ACTIVATIONS[name]()
    except KeyError:
        raise ValueError(f"unknown activation {name!r}; known: {sorted(ACTIVATIONS)}") from None


class MLP(Sequential):
    """A feedforward network (NNDL §5.2, fig. 5.6): ``sizes = [n_0, n_1, ..., n_L]`` gives L Linear
    layers, each but the last followed by ``activation``, the last by ``output_activation`` (None:
    the output is the last net input z⁽ᴸ⁾, the logits that the losses from logits want).

    Weights are Xavier-uniform with the gain for the activation (4 for logistic, 1 for tanh, see
    ``init``) or He-normal for ReLU-like units, unless ``init`` is given; all layers draw from one
    generator made from ``rng``."""

    def __init__(self, sizes, activation="logistic", output_activation=None, bias=True, init=None,
                 rng=None, dtype=np.float64):
        sizes = [int(n) for n in sizes]
        if len(sizes) < 2:
            raise ValueError(f"MLP: sizes needs at least an input and an output size, got {sizes}")
        gen = _init.as_rng(rng)
        layers = []
        for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
            last = i == len(sizes) - 2
            act = output_activation if last else activation
            act_name = act if isinstance(act, str) else None
            if init is not None:
                layer = Linear(n_in, n_out, bias, init=init, rng=gen, dtype=dtype)
            elif act_name in ("relu", "leaky_relu", "prelu", "elu"):
                layer = Linear(n_in, n_out, bias, init="he_normal", rng=gen, dtype=dtype)
            else:
                gain_act = act_name if act_name in _init.XAVIER_GAIN else None
                layer = Linear(n_in, n_out, bias, activation=gain_act, rng=gen, dtype=dtype)
            layers.append(layer)
            if act is not None:
                layers.append(get_activation(act))
        super().__init__(*layers)
        self.sizes = sizes

    def extra_repr(self):
        return f"sizes={self.sizes}"


# ---- regularisation layers ---------------------------------------------------------------------
class Dropout(Module):
    """Dropout (NNDL §5.7.6; published §7.7): in training mode each element is dropped (set to 0)
    with probability ``p`` and kept with probability q = 1 − p; in evaluation mode the input passes
    unchanged.

    ``p`` is the *drop* probability (PyTorch's convention); the book's p is the probability of
    *keeping* a neuron, our q. The book drops in training and, at test time, multiplies every
    output by the keep probability ("在测试时需要将每一个神经元的输出都折半" for q = 1/2), so that
    a neuron's test-time output equals its expected training output q·x. This layer does the same
    thing the other way round ("inverted dropout"): kept elements are divided by q during training,
    so the expected training output is q·(x/q) = x and the test-time network is used as is. The two
    nets differ only by the constant factor q on the dropped layer's outputs, which the next layer's
    weights absorb: a net trained one way equals a net trained the other way with those weights
    divided by q.

    ``rng``: None (``init``'s generator), a seed or a Generator; a seed makes the masks
    reproducible."""

    def __init__(self, p=0.5, rng=None):
        super().__init__()
        if not 0 <= p < 1:
            raise ValueError(f"Dropout: the drop probability p must be in [0, 1), got {p}")
        self.p = float(p)
        self.rng = None if rng is None else _init.as_rng(rng)

    def forward(self, x):
        return F.dropout(x, self.p, self.training, rng=self.rng)

    def extra_repr(self):
        return f"p={self.p}"


class BatchNorm1d(Module):
    """Batch normalisation (NNDL §5.7.3, algorithm 5.2, eq. 5.89; published §7.5.1) for inputs of
    shape (m, K): K features, a mini-batch of m samples.

    Training mode: each feature is normalised with the mini-batch mean μ_B and the biased variance
    σ²_B, x̂ = (x − μ_B)/√(σ²_B + ε), then scaled and shifted, y = γ x̂ + β (``gamma`` starts at 1,
    ``beta`` at 0; learnable). The gradient flows through μ_B and σ²_B. The running statistics are
    updated: ``running_mean ← (1 − momentum)·running_mean + momentum·μ_B`` and likewise
    ``running_var`` with the unbiased m/(m − 1)·σ²_B (Ioffe & Szegedy's estimate of the population
    variance); ``momentum=None`` keeps the plain average over all batches seen instead.

    Evaluation mode: "用整个数据集上的均值 μ_k 和方差 σ²_k 来分别代替 μ_B,k 和 σ²_B,k": the running
    statistics replace the batch ones, so a sample's output does not depend on its batch."""

    def __init__(self, num_features, eps=1e-5, momentum=0.1, affine=True, dtype=np.float64):
        super().__init__()
        self.num_features, self.eps, self.momentum = int(num_features), float(eps), momentum
        if affine:
            self.gamma = Parameter(np.ones(self.num_features, dtype))
            self.beta = Parameter(np.zeros(self.num_features, dtype))
        else:
            self.gamma = self.beta = None
        self.register_buffer("running_mean", np.zeros(self.num_features, dtype))
        self.register_buffer("running_var", np.ones(self.num_features, dtype))
        self.register_buffer("num_batches_tracked", np.array(0, np.int64))

    def forward(self, x):
        x = x if isinstance(x, Tensor) else Tensor(x)
        if x.ndim != 2 or x.shape[1] != self.num_features:
            raise ValueError(f"BatchNorm1d({self.num_features}): input must have shape (m, "
                             f"{self.num_features}), got {x.shape}")
        if not self.training:
            rm = Tensor._make(self.running_mean.astype(x.dtype, copy=False))
            rv = Tensor._make(self.running_var.astype(x.dtype, copy=False))
            y = (x - rm) / ops.sqrt(rv + self.eps)
            if self.gamma is not None:
                y = y * self.gamma + self.beta
            return y
        m = x.shape[0]
        if m < 2:
            raise ValueError("BatchNorm1d: training mode needs a mini-batch of at least 2 samples "
                             "(the variance of one sample is 0); call .eval() to use the running "
                             "statistics")
        y, mu, var = F.batch_norm(x, self.gamma, self.beta, self.eps)
        n = int(self.num_batches_tracked) + 1
        self.num_batches_tracked = np.array(n, np.int64)
        w = 1.0 / n if self.momentum is None else float(self.momentum)
        unbiased = var.data * (m / (m - 1))
        self.running_mean = (1 - w) * self.running_mean + w * mu.data
        self.running_var = (1 - w) * self.running_var + w * unbiased
        return y

    def extra_repr(self):
        return f"{self.num_features}, eps={self.eps}, momentum={self.momentum}"


# ---- seed 000: adaptive activations --------------------------------------------------------------
class _Adaptive(Module):
    """Shared by AdaptiveLogistic and AdaptiveTanh; see their docstrings."""

    _act = None

    def __init__(self, num_features, dtype=np.float64):
        super().__init__()
        self.num_features = int(num_features)
        self.alpha = Parameter(np.ones(self.num_features, dtype))     # seed 000 §3, step 1: α = 1
        self.beta = Parameter(np.zeros(self.num_features, dtype))     # and β = 0

    def forward(self, u):
        return type(self)._act(u, self.alpha, self.beta)

    def log_slope(self, u, alpha=None, beta=None):
        """log|∂y/∂u| for each element of ``u``, with ∂y/∂u computed by the engine (one reverse
        sweep of Σ y: the units are independent, so its gradient is the elementwise derivative).
        Recorded when alpha or beta require grad, so it can be differentiated again."""
        alpha = self.alpha if alpha is None else alpha
        beta = self.beta if beta is None else beta
        u = u.detach() if isinstance(u, Tensor) else Tensor(u)
        act = type(self)._act
        dydu = _grad(lambda v: ops.sum(act(v, alpha, beta)))(u)
        return ops.log(ops.abs(dydu))

    def infomax_grad(self, u):
        """(∂H/∂α, ∂H/∂β), one value per neuron: the infomax rules of seed 000 (Bell & Sejnowski),
        with H = E[log|∂y/∂u|] estimated by the mean over the batch (the rows of ``u``).

        Computed by the engine as a derivative of a derivative: ∂y/∂u by one reverse sweep,
        recorded (``log_slope``), then ∂/∂α and ∂/∂β of the batch mean of its log by a second
        reverse sweep through that recorded gradient. Nothing is written to ``.grad``.

        Names. Seed 000 §2 and appendices A, B write one unit as y = σ(u), u = a·x + b, where x is
        the unit's input (its net input, the weighted sum) and a, b are the adjustable slope and
        offset; §3 writes the same unit as h(u) = σ(αu + β) with u the net input. Here we use §3's
        names: ``u`` = the net input (§2's x), ``alpha`` = §2's a, ``beta`` = §2's b. So the closed
        forms (2.10, 2.11; for the hidden layer 3.9, for the output unit 3.10 with u = v) read
            logistic: ∂H/∂α = 1/α + u(1 − 2y),   ∂H/∂β = 1 − 2y,
            tanh (B.4, B.5): ∂H/∂α = 1/α − 2uy,  ∂H/∂β = −2y,
        averaged over the batch. The rules ascend H: ``infomax_step`` adds lr times them.
        The logistic slope σ(t)σ(−t) stays positive for |t| < 745; tanh's 1 − y² rounds to 0 once
        |αu + β| > 19, and a unit that saturated has log|∂y/∂u| = −inf."""
        u = u if isinstance(u, Tensor) else Tensor(u)
        if u.shape[-1:] != (self.num_features,):
            raise ValueError(f"{type(self).__name__}({self.num_features}).infomax_grad: u's last axis "
                             f"must have {self.num_features} units, got shape {u.shape}")
        u = u.detach()
        batch_axes = tuple(range(u.ndim - 1))

        def H(alpha, beta):
            ls = self.log_slope(u, alpha, beta)
            return ops.sum(ops.mean(ls, axis=batch_axes) if batch_axes else ls)

        da, db = _grad(H, argnums=(0, 1))(self.alpha.data, self.beta.data)
        return da.detach(), db.detach()

    def infomax_step(self, u, lr):
        """Seed 000's step 4: α ← α + lr·∂H/∂α, β ← β + lr·∂H/∂β (gradient *ascent* on the output
        entropy). Returns the two gradients."""
        da, db = self.infomax_grad(u)
        self.alpha.data = self.alpha.data + lr * da.data.astype(self.alpha.dtype)
        self.beta.data = self.beta.data + lr * db.data.astype(self.beta.dtype)
        return da, db

    def extra_repr(self):
        return f"{self.num_features}"


class AdaptiveLogistic(_Adaptive):
    """h(u) = 1/(1 + e^{−(αu + β)}) per neuron (seed 000 §3, fig. 3.1), with learnable slope
    ``alpha`` (starts at 1) and offset ``beta`` (starts at 0), one of each per neuron, trained by
    the error gradient like any parameter, and/or by the infomax rule (2.10, 2.11 = 3.9, 3.10)
    through ``infomax_grad`` / ``infomax_step``."""
    _act = staticmethod(F.adaptive_logistic)


class AdaptiveTanh(_Adaptive):
    """h(u) = tanh(αu + β) per neuron, learnable α (starts at 1) and β (starts at 0); infomax
    rules B.4, B.5 through ``infomax_grad``."""
    _act = staticmethod(F.adaptive_tanh)
