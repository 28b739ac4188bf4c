"""The module machinery (``tg.nn.Module``, ``tg.nn.Parameter``): what every layer and network is
built on. Names follow PyTorch.

A ``Module`` registers the ``Parameter``s, sub-``Module``s and buffers assigned to its attributes,
in assignment order, so ``parameters()``, ``named_parameters()``, ``zero_grad()``, ``train()`` /
``eval()`` and ``state_dict()`` find them; calling a module calls its ``forward``. The layers
themselves are in ``layers``, ``activations`` and ``adaptive``; their gradients come from the
recorded graph of engine ops, in reverse or forward mode, to any order.
"""
from __future__ import annotations

import contextlib
from collections import OrderedDict
from typing import NamedTuple

import numpy as np

from ..core.sweeps import zero_grad as _zero_grad
from ..core.tensor import Tensor, as_array

__all__ = ["Module", "Parameter", "functional_call", "non_weights", "weights"]


class LoadResult(NamedTuple):
    """What ``Module.load_state_dict`` (and ``data.load_parameters``) did not load: the module's
    names absent from the saved state, and the saved names the module lacks."""
    missing_keys: list
    unexpected_keys: list


class Parameter(Tensor):
    """A tensor that is a learnable parameter: it requires grad, and assigning it to an attribute
    of a Module registers it there. Integer data becomes float64; float32 data stays float32."""

    __slots__ = ()

    def __init__(self, data, name: str | None = None, dtype=None):
        arr = as_array(data, dtype, who="Parameter")
        if dtype is None and arr.dtype.kind in "biu":
            arr = arr.astype(np.float64)
        super().__init__(arr, requires_grad=True, name=name)

    def __repr__(self):
        return "Parameter" + super().__repr__()[len("Tensor"):].replace(", requires_grad=True", "")


class Module:
    """Base class of layers and networks: subclasses set attributes in ``__init__`` (after calling
    ``super().__init__()``) and define ``forward``."""

    def __init__(self) -> None:
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
        elif name in _MACHINERY:
            raise AttributeError(f"{type(self).__name__}.{name}: this name is the method "
                                 f"Module.{name}(), which the attribute would hide; store the value "
                                 "under another name")
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

    def named_parameters(self, prefix: str = "") -> list[tuple[str, Parameter]]:
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

    def parameters(self) -> list[Parameter]:
        return [p for _, p in self.named_parameters()]

    def named_buffers(self, prefix=""):
        out = []
        for mname, m in self.named_modules(prefix):
            for k, b in m._buffers.items():
                if b is not None:
                    out.append((f"{mname}.{k}" if mname else k, b))
        return out

    def num_parameters(self) -> int:
        """The number of learnable numbers (shared parameters counted once)."""
        return int(sum(p.size for p in self.parameters()))

    # ---- training helpers ----------------------------------------------------------------------
    def zero_grad(self) -> None:
        """Set ``.grad`` of every parameter to None (gradients add up over backward calls)."""
        _zero_grad(self.parameters())

    def train(self, mode: bool = True) -> Module:
        """Training mode (Dropout drops, BatchNorm uses batch statistics), for this module and all
        below it; returns self."""
        for m in self.modules():
            object.__setattr__(m, "training", bool(mode))
        return self

    def eval(self) -> Module:
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
    def state_dict(self) -> dict[str, np.ndarray]:
        """{dotted name: copy of the array} for every parameter and buffer."""
        out = OrderedDict((k, p.data.copy()) for k, p in self.named_parameters())
        out.update((k, np.array(b, copy=True)) for k, b in self.named_buffers())
        return out

    def load_state_dict(self, state: dict, strict: bool = True) -> LoadResult:
        """Copy arrays from ``state`` into the parameters and buffers of the same names, cast to
        their dtypes; returns ``LoadResult(missing_keys, unexpected_keys)`` (PyTorch's pair).

        ``strict=True``: a name missing from ``state`` or a name the module lacks raises KeyError
        naming them. ``strict=False``: the names both have are loaded and the others are only
        reported in the result. Either way a wrong shape or a non-numeric array raises, and
        everything is checked before anything changes (nothing is ever partly loaded)."""
        targets: dict[str, tuple] = OrderedDict()
        for k, p in self.named_parameters():
            targets[k] = ("param", p)
        for mname, m in self.named_modules():
            for k, b in m._buffers.items():
                if b is not None:
                    targets[f"{mname}.{k}" if mname else k] = ("buffer", (m, k))
        missing = [k for k in targets if k not in state]
        unexpected = [k for k in state if k not in targets]
        if strict and (missing or unexpected):
            parts = [f"{what} {names}" for what, names in (("missing", missing), ("unexpected", unexpected))
                     if names]
            raise KeyError(f"load_state_dict: {type(self).__name__} and the saved state do not match: "
                           f"{'; '.join(parts)} (the module has {list(targets)}; strict=False loads "
                           "the names both have)")
        arrays = {}
        for k, (kind, t) in targets.items():
            if k not in state:
                continue
            arr = np.asarray(state[k])
            cur = t.data if kind == "param" else t[0]._buffers[t[1]]
            if arr.shape != cur.shape:
                raise ValueError(f"load_state_dict: {k!r} has shape {arr.shape} in the saved state but "
                                 f"{cur.shape} in the module (was it saved from a different "
                                 "architecture?)")
            if arr.dtype.kind not in "biuf":
                raise TypeError(f"load_state_dict: {k!r} has dtype {arr.dtype}; numbers expected")
            arrays[k] = arr.astype(cur.dtype, copy=True)
        for k, arr in arrays.items():
            kind, t = targets[k]
            if kind == "param":
                t.data = arr
                t.grad = None
            else:
                t[0]._buffers[t[1]] = arr
        return LoadResult(missing, unexpected)

    # ---- calling ------------------------------------------------------------------------------------
    def forward(self, *args, **kwargs) -> Tensor:
        raise NotImplementedError(f"{type(self).__name__} must define forward()")

    def __call__(self, *args, **kwargs) -> Tensor:
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


#: Module's own methods: an instance attribute of one of these names would hide the method.
_MACHINERY = frozenset(k for k, v in vars(Module).items()
                       if callable(v) and not k.startswith("_") and k not in ("forward", "extra_repr"))


@contextlib.contextmanager
def _swapped(module, params):
    names = dict(module.named_parameters())
    unknown = [k for k in params if k not in names]
    if unknown:
        raise KeyError(f"functional_call: {type(module).__name__} has no parameters {unknown}; it has "
                       f"{list(names)}")
    owners = {}
    for m in module.modules():
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
