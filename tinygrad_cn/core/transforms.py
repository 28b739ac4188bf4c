"""The functional transforms (JAX's names): grad, value_and_grad, vjp, jvp, jacobian, hessian,
hvp, and the textbook's ``forward_sweep`` that leaves ``.tangent`` on every node.

Each call records ``f`` on fresh leaves and sweeps the graph once per seed. For f: Rⁿ → Rᵐ a full
Jacobian takes n forward sweeps or m reverse sweeps (``count_sweeps()`` counts them). A sweep
records (``create_graph``) only when something outside can use the result (nesting: grad of grad,
hvp, an outer backward), so the common case runs fast.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from .errors import ShapeError
from .graph import current_mode, enable_grad, is_grad_enabled, toposort
from .ops import reshape, stack
from .primitives import identity
from .sweeps import cotangent_for, reverse_sweep
from .sweeps import forward_sweep as forward_sweep_ids
from .tensor import Tensor, as_array

__all__ = ["grad", "value_and_grad", "vjp", "jvp", "jacobian", "hessian", "hvp", "forward_sweep"]

def _inputs_for(args, argnums, keep=False):
    """Replace ``args[i]`` for ``i`` in ``argnums`` by tensors to differentiate with respect to.

    A tensor that is itself part of an outer recorded graph enters through an identity node, so
    the result stays differentiable for the outer transform (nesting: grad of grad, hvp); so does
    any tensor while ``tg.jit`` traces (``record_everything``), so that the compiled program reads
    it instead of keeping its traced value as a constant.
    ``keep``: the leaves outlive the call (``vjp``), so they hold copies (see ``_fresh_leaf``).
    """
    args = list(args)
    wrt = []
    for i in argnums:
        a = args[i]
        if isinstance(a, Tensor) and is_grad_enabled() and (a.requires_grad or current_mode().everything):
            t = identity(a).named(a.name)
            t.requires_grad = True
        else:
            t = _fresh_leaf(a, i, keep)
        args[i] = t
        wrt.append(t)
    return args, wrt


def _fresh_leaf(a, i, keep=False):
    """A new leaf holding ``a``'s values. A Tensor's or an array's own data is not copied when the
    transform reads it and returns before the caller can change it; with ``keep`` (``vjp``, whose
    ``vjp_fn`` runs later, after the caller may have written into the array) it is copied."""
    if isinstance(a, (Tensor, np.ndarray)):
        arr = a.data if isinstance(a, Tensor) else a
        arr = arr.copy() if keep else arr
    else:
        arr = as_array(a, who="grad")
    if arr.dtype.kind != "f":
        arr = as_array(arr, who="grad")
        if arr.dtype.kind != "f":
            raise TypeError(f"argument {i} has dtype {arr.dtype}: only floating arrays can be differentiated; "
                            "pass it as floats (e.g. x.astype(float))")
    return Tensor.wrap(arr, True, getattr(a, "name", None))


def _release(wrt):
    """A finished transform's own fresh leaves (and, under ``tg.jit``'s trace, its identity nodes
    on inputs that need no gradient) stop requiring grad, so an outer transform whose graph passes
    through them (grad of a function that calls grad on a constant) does not record its sweep for
    them (see ``_needs_graph``). Not for ``vjp``, whose ``vjp_fn`` reuses them."""
    for t in wrt:
        if t.prim is None or not t.inputs[0].requires_grad:
            t.requires_grad = False


def _argnums(argnums, nargs, who):
    nums = (argnums,) if isinstance(argnums, int) else tuple(argnums)
    for n in nums:
        if not -nargs <= n < nargs:
            raise ValueError(f"{who}: argnums {argnums} is out of range for {nargs} argument(s)")
    return tuple(n % nargs for n in nums)


def _output(y, who):
    if not isinstance(y, Tensor):
        raise TypeError(f"{who}: the function must return a Tensor, got {type(y).__name__}")
    return y


def _needs_graph(order, wrt, outer_args):
    """Should the sweep record? Only when an outer transform or backward can use the result:
    grad is enabled outside and some input, or some leaf the function closed over, requires grad."""
    if not is_grad_enabled():
        return False
    own = {id(t) for t in wrt}
    return any(isinstance(a, Tensor) and a.requires_grad for a in outer_args) or any(
        n.prim is None and n.requires_grad and id(n) not in own for n in order)


def _graph_of(out, wrt, outer_args):
    """The recorded graph from ``wrt`` to ``out`` (``toposort`` order), and whether sweeps over it
    must record (``_needs_graph``): found once per transform call, shared by all its sweeps."""
    order = toposort([out], stop={id(t) for t in wrt})
    return order, _needs_graph(order, wrt, outer_args)


def _grads_for(out, wrt, seed, graph):
    order, create = graph
    ids = {id(t) for t in wrt}
    got = reverse_sweep(order, {id(out): seed}, create_graph=create, keep=ids, stop=ids, prune=True)
    return tuple(_in_dtype(got[id(t)], t, create) if id(t) in got else Tensor.wrap(np.zeros(t.shape, t.dtype))
                 for t in wrt)


def _in_dtype(g, t, create):
    """A gradient in the dtype of its input (float64 constants in f must not turn float32 into float64)."""
    return g if g.dtype == t.dtype or create else Tensor.wrap(g.data.astype(t.dtype))


def value_and_grad(f: Callable[..., Tensor], argnums: int | Sequence[int] = 0) -> Callable[..., tuple]:
    """``value_and_grad(f)(*args) -> (f(*args), ∂f/∂args[argnums])`` for scalar-valued f."""
    def wrapped(*args):
        nums = _argnums(argnums, len(args), "grad")
        with enable_grad():
            call_args, wrt = _inputs_for(args, nums)
            y = _output(f(*call_args), "grad")
        if y.size != 1:
            raise ShapeError(f"grad: the function must return a scalar, got shape {y.shape}; use "
                             "tg.vjp or tg.jacobian for non-scalar outputs")
        if not y.requires_grad:
            grads = tuple(Tensor.wrap(np.zeros(t.shape, t.dtype)) for t in wrt)
        else:
            grads = _grads_for(y, wrt, Tensor.wrap(np.ones(y.shape, y.dtype)), _graph_of(y, wrt, args))
        _release(wrt)
        return y, grads[0] if isinstance(argnums, int) else grads
    return wrapped


def grad(f: Callable[..., Tensor], argnums: int | Sequence[int] = 0) -> Callable[..., Tensor | tuple]:
    """``grad(f)(*args)``: the gradient of scalar-valued f with respect to ``args[argnums]``
    (a tuple of gradients when ``argnums`` is a tuple). Nests: ``grad(grad(f))``."""
    vg = value_and_grad(f, argnums)
    return lambda *args: vg(*args)[1]


def vjp(f: Callable[..., Tensor], *primals) -> tuple[Tensor, Callable[..., tuple]]:
    """``out, vjp_fn = vjp(f, *primals)``; ``vjp_fn(cotangent)`` returns ``cotangentᵀ ∂f/∂primals``
    as a tuple, one per primal: a row of the Jacobian per one-hot cotangent. It can be called
    again (one reverse sweep each)."""
    with enable_grad():
        args, wrt = _inputs_for(primals, range(len(primals)), keep=True)
        out = _output(f(*args), "vjp")

    def vjp_fn(cotangent):
        seed = cotangent_for(out, cotangent, "vjp")
        if not out.requires_grad:
            return tuple(Tensor.wrap(np.zeros(t.shape, t.dtype)) for t in wrt)
        return _grads_for(out, wrt, seed, _graph_of(out, wrt, primals + (cotangent,)))
    return out, vjp_fn


def _check_tangents(primals, tangents, who):
    if len(primals) != len(tangents):
        raise ShapeError(f"{who}: got {len(primals)} primal(s) but {len(tangents)} tangent(s); give "
                         "one tangent per primal, of the same shape")
    ts = []
    for k, (p, t) in enumerate(zip(primals, tangents)):
        pshape = np.shape(p.data if isinstance(p, Tensor) else p)
        t = t if isinstance(t, Tensor) else Tensor(t)
        if t.shape != pshape:
            raise ShapeError(f"{who}: tangent {k} has shape {t.shape} but primal {k} has shape "
                             f"{pshape}; they must be equal")
        ts.append(t)
    return ts


def jvp(f: Callable, primals: Sequence, tangents: Sequence) -> tuple[Tensor, Tensor]:
    """``out, out_tangent = jvp(f, primals, tangents)``: forward mode, one sweep; ``out_tangent``
    is ∂f/∂primals · tangents, a column of the Jacobian per one-hot tangent (NNDL eqs. 5.69–5.74)."""
    primals, tangents = tuple(primals), tuple(tangents)
    ts = _check_tangents(primals, tangents, "jvp")
    with enable_grad():
        args, wrt = _inputs_for(primals, range(len(primals)))
        out = _output(f(*args), "jvp")
    tangent = _tangent_of(out, wrt, ts, _graph_of(out, wrt, primals + tuple(tangents)))
    _release(wrt)
    return out, tangent


def _tangent_of(out, wrt, ts, graph):
    order, create = graph
    seeds = {id(w): t if t.dtype == w.dtype else Tensor.wrap(t.data.astype(w.dtype))
             for w, t in zip(wrt, ts)}
    t = forward_sweep_ids(order, seeds, create_graph=create).get(id(out))
    return Tensor.wrap(np.zeros(out.shape, out.dtype)) if t is None else t


def forward_sweep(output: Tensor, seeds: dict) -> Tensor:
    """The textbook's forward accumulation on a recorded graph: ``seeds`` maps leaves to tangents
    (e.g. ``{w: 1.0}``); every node the seeds reach gets ``.tangent`` (∂node/∂w for a unit seed,
    eqs. 5.69–5.74). Returns the output's tangent."""
    order = toposort([output])
    ids = {}
    for leaf, t in seeds.items():
        if not leaf.requires_grad:
            raise ValueError(f"forward_sweep: {leaf.name or 'a seed'} does not require grad, so the "
                             "graph did not record its uses; create it with requires_grad=True")
        ids[id(leaf)] = t if isinstance(t, Tensor) else Tensor(np.broadcast_to(t, leaf.shape), dtype=leaf.dtype)
    tan = forward_sweep_ids(order, ids, create_graph=False)
    for node in order:
        node.tangent = tan.get(id(node))
    return output.tangent


def jacobian(f: Callable, *xs, mode: str = "reverse") -> Tensor | tuple:
    """The Jacobian ∂f/∂x, of shape ``out.shape + x.shape`` (a tuple of them for several xs).

    ``mode="forward"`` takes one forward sweep per input element (n), ``"reverse"`` one reverse
    sweep per output element (m): the textbook's cost claim, counted by ``count_sweeps()``.
    """
    if mode not in ("forward", "reverse"):
        raise ValueError(f"jacobian: mode must be 'forward' or 'reverse', got {mode!r}")
    with enable_grad():
        args, wrt = _inputs_for(xs, range(len(xs)))
        out = _output(f(*args), "jacobian")
    graph = _graph_of(out, wrt, xs)          # one graph for all n forward or m reverse sweeps
    if not out.requires_grad:
        jacs = [Tensor.wrap(np.zeros(out.shape + w.shape, out.dtype)) for w in wrt]
    elif mode == "forward":
        jacs = []
        for w in wrt:
            cols = []
            for j in range(w.size):
                e = np.zeros(w.size, w.dtype)
                e[j] = 1
                cols.append(_tangent_of(out, [w], [Tensor.wrap(e.reshape(w.shape))], graph))
            jac = stack(cols, axis=-1) if cols else Tensor.wrap(np.zeros(out.shape + (0,), out.dtype))
            jacs.append(reshape(jac, out.shape + w.shape))
    else:
        rows = []
        for i in range(out.size):
            e = np.zeros(out.size, out.dtype)
            e[i] = 1
            rows.append(_grads_for(out, wrt, Tensor.wrap(e.reshape(out.shape)), graph))
        jacs = []
        for k, w in enumerate(wrt):
            jac = stack([r[k] for r in rows]) if rows else Tensor.wrap(np.zeros((0,) + w.shape, w.dtype))
            jacs.append(reshape(jac, out.shape + w.shape))
    _release(wrt)
    return jacs[0] if len(jacs) == 1 else tuple(jacs)


def hessian(f: Callable[..., Tensor], x) -> Tensor | tuple:
    """The Hessian of scalar-valued f at x, forward-over-reverse: n forward sweeps over the graph
    of the gradient."""
    return jacobian(grad(f), x, mode="forward")


def hvp(f: Callable[..., Tensor], x, v) -> Tensor:
    """Hessian-vector product H(x)·v of scalar-valued f, forward-over-reverse: one reverse sweep
    recorded, then one forward sweep over it (no Hessian is formed)."""
    return jvp(grad(f), (x,), (v,))[1]

