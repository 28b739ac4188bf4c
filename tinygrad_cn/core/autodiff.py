"""The sweeps over the recorded graph, and the functional transforms built on them.

Reverse mode (NNDL eqs. 5.75–5.79; published §4.5.3) walks the graph from the output back to the
inputs, one sweep per output; forward mode (eqs. 5.69–5.74) carries tangents from the inputs to
the output, one sweep per input. For f: Rⁿ → Rᵐ, a full Jacobian takes n forward sweeps or m
reverse sweeps; ``count_sweeps()`` counts them.

Both sweeps run the rules of ``ops``. When the result needs no derivative of its own they run
with recording off; with ``create_graph`` they record, so the gradient is itself a graph that can
be differentiated again (Hessians, seed 000's ∂/∂α log|∂y/∂x|).
"""
import contextlib

import numpy as np

from . import ops
from .errors import AnomalyError, GraphFreedError, ShapeError
from .tensor import Tensor, _check_finite, _grad_mode, _Mode, enable_grad, is_grad_enabled

# ---- graph traversal ------------------------------------------------------------------------


def toposort(roots, stop=(), constants=False):
    """The nodes that ``roots`` depend on through tensors that require grad (and through constant
    inputs too with ``constants=True``, as the renderer wants), inputs before users.

    Iterative (a chain of 100 000 ops is fine). Nodes whose id is in ``stop`` are treated as
    leaves. Raises GraphFreedError, before anything changes, if backward already freed a node.
    """
    order, seen = [], set()
    stack = [(r, False) for r in roots]
    while stack:
        node, done = stack.pop()
        if done:
            order.append(node)
            continue
        if id(node) in seen:
            continue
        seen.add(id(node))
        stack.append((node, True))
        if id(node) in stop or node.prim is None:
            continue
        if node.inputs is None:
            raise GraphFreedError(
                f"the graph through {_describe(node)} was freed by an earlier backward(); call "
                "backward(retain_graph=True) the first time to sweep the same graph again, or "
                "recompute the forward pass")
        for inp in node.inputs:
            if (constants or inp.requires_grad) and id(inp) not in seen:
                stack.append((inp, False))
    return order


def _describe(node):
    name = f" '{node.name}'" if node.name else ""
    return f"the {node.prim.name} node{name} (shape {node.shape})"


def _free(order):
    for node in order:
        if node.prim is not None:
            node.inputs = None
            node.params = None


# ---- sweep counting ---------------------------------------------------------------------------
class SweepCount:
    """How many forward and reverse sweeps ran inside ``count_sweeps()``."""

    def __init__(self):
        self.forward = 0
        self.reverse = 0

    def __repr__(self):
        return f"SweepCount(forward={self.forward}, reverse={self.reverse})"


_counters = []


@contextlib.contextmanager
def count_sweeps():
    """``with count_sweeps() as c: ...`` then ``c.forward``, ``c.reverse``: the sweeps that ran."""
    c = SweepCount()
    _counters.append(c)
    try:
        yield c
    finally:
        _counters.remove(c)


def _count(kind):
    for c in _counters:
        setattr(c, kind, getattr(c, kind) + 1)


# ---- the two sweeps -----------------------------------------------------------------------------
def reverse_sweep(order, seeds, create_graph=False, targets=None, keep_all=False):
    """Run vjp rules over ``order`` (from ``toposort``) in reverse, starting from ``seeds``
    ({id(node): cotangent}). Without ``targets``, cotangents reaching leaves (and non-leaves that
    ``retain_grad()``) accumulate into ``.grad``; with ``targets`` (a set of ids), nothing is
    written and only paths into the targets are followed. Returns {id(node): cotangent} for the
    targets, or for every node with ``keep_all``.
    """
    _count("reverse")
    cot = dict(seeds)
    live = None
    if targets is not None:            # follow only nodes that depend on a target
        live = set(targets)
        for node in order:
            if node.prim is not None and any(id(i) in live for i in node.inputs):
                live.add(id(node))
    kept = {}
    with _grad_mode(create_graph):
        for node in reversed(order):
            key = id(node)
            g = cot.get(key) if keep_all else cot.pop(key, None)
            if g is None:
                continue
            if targets is not None:
                if key in targets:
                    kept[key] = g
                    continue
            elif node.prim is None or node._retains_grad:
                node.grad = g if node.grad is None else node.grad + g
            op = node.prim
            if op is None:
                continue
            inputs, kw = node.inputs, node.params
            for i, inp in enumerate(inputs):
                if not inp.requires_grad or (live is not None and id(inp) not in live):
                    continue
                if _Mode.anomaly:
                    gi = _anomaly_checked_vjp(op, i, g, node)
                else:
                    gi = op.vjp[i](g, node, *inputs, **kw)
                if gi.shape != inp.shape:
                    gi = ops.sum_to(gi, inp.shape)
                prev = cot.get(id(inp))
                cot[id(inp)] = gi if prev is None else prev + gi
    return cot if keep_all else kept


def _anomaly_checked_vjp(op, i, g, node):
    where = f"in the vjp of {op.name} (input {i}{', ' + repr(node.name) if node.name else ''}): "
    try:
        gi = op.vjp[i](g, node, *node.inputs, **node.params)
    except AnomalyError as e:
        raise AnomalyError(where + str(e)) from None
    _check_finite(f"{where}the gradient", "value", gi.data, [g.data] + [x.data for x in node.inputs])
    return gi


def forward_sweep_ids(order, seeds, create_graph=False):
    """Run jvp rules over ``order`` (from ``toposort``), starting from ``seeds`` ({id(node):
    tangent}); returns {id(node): tangent} for every node the seeds reach."""
    _count("forward")
    tan = dict(seeds)
    with _grad_mode(create_graph):
        for node in order:
            op = node.prim
            if op is None or id(node) in tan:
                continue
            acc = None
            inputs, kw = node.inputs, node.params
            for i, inp in enumerate(inputs):
                t = tan.get(id(inp))
                if t is not None:
                    c = op.jvp[i](t, node, *inputs, **kw)
                    acc = c if acc is None else acc + c
            if acc is not None:
                tan[id(node)] = acc if acc.shape == node.shape else ops.broadcast_to(acc, node.shape)
    return tan


# ---- reverse mode, imperative (PyTorch-like) --------------------------------------------------
def _cotangent(out, gradient, who):
    if gradient is None:
        if out.size != 1:
            raise ShapeError(f"{who}: the output has shape {out.shape}, so a cotangent is needed: pass "
                             f"gradient= of shape {out.shape}, or reduce to a scalar first, e.g. "
                             "y.sum().backward()")
        return Tensor._make(np.ones(out.shape, out.dtype))
    g = gradient if isinstance(gradient, Tensor) else Tensor(gradient, dtype=out.dtype)
    if g.shape != out.shape:
        raise ShapeError(f"{who}: gradient has shape {g.shape} but the output has shape {out.shape}; "
                         "they must be equal")
    return g


def backward(out, gradient=None, retain_graph=None, create_graph=False):
    """Accumulate ∂out/∂leaf into ``leaf.grad`` for every leaf that requires grad.

    ``gradient`` is the cotangent (needed unless ``out`` has one element). Gradients add up over
    calls; clear them with ``zero_grad``. The graph is freed afterwards unless ``retain_graph``
    (default: ``create_graph``); ``create_graph=True`` records the gradients as a graph.
    """
    if not out.requires_grad:
        raise RuntimeError("backward: this tensor does not require grad: none of the tensors it was "
                           "computed from has requires_grad=True, or it was computed under no_grad()")
    seed = _cotangent(out, gradient, "backward")
    order = toposort([out])
    reverse_sweep(order, {id(out): seed}, create_graph=create_graph)
    if not (create_graph if retain_graph is None else retain_graph):
        _free(order)


def zero_grad(tensors):
    """Set ``.grad`` of each tensor to None."""
    for t in tensors:
        t.grad = None


# ---- functional transforms (JAX-like) ---------------------------------------------------------
def _inputs_for(args, argnums):
    """Replace ``args[i]`` for ``i`` in ``argnums`` by tensors to differentiate with respect to.

    A tensor that is itself part of an outer recorded graph enters through an identity node, so
    the result stays differentiable for the outer transform (nesting: grad of grad, hvp).
    """
    args = list(args)
    wrt = []
    for i in argnums:
        a = args[i]
        if isinstance(a, Tensor) and a.requires_grad and is_grad_enabled():
            t = ops.identity(a).named(a.name)
        else:
            t = Tensor(a.data if isinstance(a, Tensor) else a, requires_grad=True,
                       name=getattr(a, "name", None))
        args[i] = t
        wrt.append(t)
    return args, wrt


def _release(wrt):
    """A finished transform's own fresh leaves stop requiring grad, so an outer transform whose
    graph passes through them (grad of a function that calls grad on a constant) does not record
    its sweep for them (see ``_needs_graph``). Not for ``vjp``, whose ``vjp_fn`` reuses them."""
    for t in wrt:
        if t.prim is None:
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


def _grads_for(out, wrt, seed, graph, retain):
    order, create = graph
    got = reverse_sweep(order, {id(out): seed}, create_graph=create, targets={id(t) for t in wrt})
    if not (retain or create):
        _free(order)
    return tuple(got.get(id(t)) if id(t) in got else Tensor._make(np.zeros(t.shape, t.dtype))
                 for t in wrt)


def value_and_grad(f, argnums=0):
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
            grads = tuple(Tensor._make(np.zeros(t.shape, t.dtype)) for t in wrt)
        else:
            grads = _grads_for(y, wrt, Tensor._make(np.ones(y.shape, y.dtype)), _graph_of(y, wrt, args),
                               retain=False)
        _release(wrt)
        return y, grads[0] if isinstance(argnums, int) else grads
    return wrapped


def grad(f, argnums=0):
    """``grad(f)(*args)``: the gradient of scalar-valued f with respect to ``args[argnums]``
    (a tuple of gradients when ``argnums`` is a tuple). Nests: ``grad(grad(f))``."""
    vg = value_and_grad(f, argnums)
    return lambda *args: vg(*args)[1]


def vjp(f, *primals):
    """``out, vjp_fn = vjp(f, *primals)``; ``vjp_fn(cotangent)`` returns ``cotangentᵀ ∂f/∂primals``
    as a tuple, one per primal: a row of the Jacobian per one-hot cotangent. It can be called
    again (one reverse sweep each)."""
    with enable_grad():
        args, wrt = _inputs_for(primals, range(len(primals)))
        out = _output(f(*args), "vjp")

    def vjp_fn(cotangent):
        seed = _cotangent(out, cotangent, "vjp")
        if not out.requires_grad:
            return tuple(Tensor._make(np.zeros(t.shape, t.dtype)) for t in wrt)
        return _grads_for(out, wrt, seed, _graph_of(out, wrt, primals + (cotangent,)), retain=True)
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


def jvp(f, primals, tangents):
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
    seeds = {id(w): t if t.dtype == w.dtype else Tensor._make(t.data.astype(w.dtype))
             for w, t in zip(wrt, ts)}
    t = forward_sweep_ids(order, seeds, create_graph=create).get(id(out))
    return Tensor._make(np.zeros(out.shape, out.dtype)) if t is None else t


def forward_sweep(output, seeds):
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


def jacobian(f, *xs, mode="reverse"):
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
        jacs = [Tensor._make(np.zeros(out.shape + w.shape, out.dtype)) for w in wrt]
    elif mode == "forward":
        jacs = []
        for k, w in enumerate(wrt):
            cols = []
            for j in range(w.size):
                e = np.zeros(w.size, w.dtype)
                e[j] = 1
                cols.append(_tangent_of(out, [w], [Tensor._make(e.reshape(w.shape))], graph))
            jac = ops.stack(cols, axis=-1) if cols else Tensor._make(np.zeros(out.shape + (0,), out.dtype))
            jacs.append(ops.reshape(jac, out.shape + w.shape))
    else:
        rows = []
        for i in range(out.size):
            e = np.zeros(out.size, out.dtype)
            e[i] = 1
            rows.append(_grads_for(out, wrt, Tensor._make(e.reshape(out.shape)), graph, retain=True))
        jacs = []
        for k, w in enumerate(wrt):
            jac = ops.stack([r[k] for r in rows]) if rows else Tensor._make(np.zeros((0,) + w.shape, w.dtype))
            jacs.append(ops.reshape(jac, out.shape + w.shape))
    _release(wrt)
    return jacs[0] if len(jacs) == 1 else tuple(jacs)


def hessian(f, x):
    """The Hessian of scalar-valued f at x, forward-over-reverse: n forward sweeps over the graph
    of the gradient."""
    return jacobian(grad(f), x, mode="forward")


def hvp(f, x, v):
    """Hessian-vector product H(x)·v of scalar-valued f, forward-over-reverse: one reverse sweep
    recorded, then one forward sweep over it (no Hessian is formed)."""
    return jvp(grad(f), (x,), (v,))[1]

