"""Drawing networks as a learner reads them: parameters named by module path, a layer's internal
transpose and vector reshapes folded into its matmul, boxes around modules, one node per module.

Folding (``folds``): ``x @ transpose(W)`` of ``F.linear`` is drawn as one op "x Wᵀ"; the reshapes
that ``matmul`` adds around a 1-D vector (and the squeeze after) vanish into it ("W x"). Folded
nodes are not numbered, so the drawn ops are v1, v2, … without gaps.
"""
from ...core.graph import node_names
from .labels import COLOURS, DIM, shape_text, table, tooltip

__all__ = ["module_names", "names", "folds", "drawn_op", "module_of", "members", "module_title", "summarise"]


def module_names(model, order):
    """{id(parameter): module path} for the parameters of ``model`` in the graph that have no name."""
    if model is None:
        return {}
    named = getattr(model, "named_parameters", None)
    if not callable(named):
        raise TypeError(f"draw: model must be a Module (with named_parameters()), got {type(model).__name__}")
    ids = {id(t) for t in order}
    return {id(p): path for path, p in named() if id(p) in ids and not p.name}


def names(order, paths, hidden=()):
    """``node_names`` of the drawing: module paths name their parameters, and the folded nodes
    (``hidden``, never shown) take no number, so the drawn ops are v1, v2, … in order."""
    given = {id(t): paths[id(t)] for t in order if id(t) in paths}
    given.update({i: None for i in hidden})
    return node_names(order, given)


# ---- folding a layer's steps into its op ---------------------------------------------------------
def _consumers(order):
    users = {id(t): [] for t in order}
    for t in order:
        for i, x in enumerate(t.inputs or ()):
            users[id(x)].append((t, i))
    return users


def _is_swap(t):
    axes = (t.params or {}).get("axes")
    return t.ndim >= 2 and (axes is None or tuple(axes)[-2:] == (t.ndim - 1, t.ndim - 2))


def folds(order):
    """ids of tensors not drawn: their op is drawn inside the matmul that uses them (a parameter's
    transpose, a vector's promotion to a matrix), or a matmul whose result only a squeeze uses."""
    users, hidden = _consumers(order), set()
    for t in order:
        if t.prim is None or len(users[id(t)]) != 1:
            continue
        (u, i), name = users[id(t)][0], t.prim.name
        if u.prim is None:
            continue
        if name == "transpose" and u.prim.name == "matmul" and i == 1 and t.inputs[0].prim is None and _is_swap(t):
            hidden.add(id(t))
        elif name == "reshape" and u.prim.name == "matmul" and t.inputs[0].ndim == 1 and t.ndim == 2:
            hidden.add(id(t))
        elif (name == "matmul" and u.prim.name == "reshape" and u.ndim == t.ndim - 1
              and any(id(x) in hidden and x.prim.name == "reshape" for x in t.inputs)):
            hidden.add(id(t))
    return hidden


def drawn_op(t, hidden):
    """(the node whose primitive is drawn, its drawn inputs, the op's mark) for tensor ``t``."""
    core = t.inputs[0] if t.prim.name == "reshape" and id(t.inputs[0]) in hidden else t
    ins = [x.inputs[0] if id(x) in hidden else x for x in core.inputs]
    if core.prim.name != "matmul" or not any(id(x) in hidden for x in core.inputs):
        return core, ins, core.prim.notation.symbol
    b = core.inputs[1]
    if id(b) in hidden and b.prim.name == "reshape":             # W @ x with a vector x
        return core, ins, "W x"
    return core, ins, "x Wᵀ" if id(b) in hidden else "x W"       # x @ transpose(W), or x⊤ @ W


# ---- modules: groups and the summary view ----------------------------------------------------------
def module_of(model, paths, shown, ops, index):
    """{node key: module path}: a parameter belongs to its module, and so do an op that uses one of
    its parameters directly and that op's result."""
    owner = {}
    for t in shown:
        if id(t) in paths:
            owner[f"t{index[id(t)]}"] = paths[id(t)].rpartition(".")[0]
    for i, (_, ins, _) in ops.items():
        mods = {owner.get(f"t{j}") for j in ins if id(shown[j]) in paths}
        mods.discard(None)
        if len(mods) == 1:
            (m,) = mods
            owner[f"op{i}"] = owner[f"t{i}"] = m
    return owner


def members(owner):
    groups = {}
    for key, path in owner.items():
        groups.setdefault(path, []).append(key)
    return groups


def module_title(model, path):
    module = dict(model.named_modules()).get(path)
    kind = type(module).__name__ if module is not None else "module"
    return f"{path or 'model'}: {kind}"


def summarise(nodes, edges, owner, model, shown, names):
    """Each module's nodes collapsed into one box; edges between the same two nodes merged."""
    groups = members(owner)
    out = {k: v for k, v in nodes.items() if k not in owner}
    for path, keys in groups.items():
        params = [k for k in keys if k.startswith("t") and shown[int(k[1:])].prim is None]
        lines = [(module_title(model, path), None, True)]
        for k in params:
            t = shown[int(k[1:])]
            lines.append((f"{names[id(t)].rpartition('.')[2]} {shape_text(t.shape)}", DIM, False))
        fill, border = COLOURS["param"]
        out[f"m_{path}"] = (table(lines), {"shape": "box", "style": "rounded,filled", "fillcolor": fill,
                                           "color": border, "class": "module", "tooltip": tooltip(path)})
    rename = {k: f"m_{p}" for k, p in owner.items()}
    seen, merged = set(), []
    for a, b, e in edges:
        a, b = rename.get(a, a), rename.get(b, b)
        if a != b and (a, b) not in seen:
            seen.add((a, b))
            merged.append((a, b, {k: v for k, v in e.items() if k not in ("label", "fontsize", "fontcolor")}))
    return out, merged
