"""Drawing networks as a learner reads them: parameters named by module path, a layer's internal
transpose folded into its matmul, boxes around modules, one node per module.

Folding (``folds``): ``x @ transpose(W)`` of ``F.linear`` is drawn as one op "x Wᵀ"; a matrix times
a vector (one matmul node, NumPy's rules) is written "W x". Folded nodes are not numbered, so the
drawn ops are v1, v2, … without gaps.
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
    """ids of tensors not drawn: a parameter's transpose, drawn inside the matmul that uses it."""
    users, hidden = _consumers(order), set()
    for t in order:
        if t.prim is None or t.prim.name != "transpose" or len(users[id(t)]) != 1:
            continue
        (u, i), = users[id(t)]
        if u.prim is not None and u.prim.name == "matmul" and i == 1 and t.inputs[0].prim is None and _is_swap(t):
            hidden.add(id(t))
    return hidden


def drawn_op(t, hidden):
    """(the inputs drawn for op node ``t``, the op's mark): a folded transpose is drawn as its input."""
    ins = [x.inputs[0] if id(x) in hidden else x for x in t.inputs]
    if t.prim.name != "matmul":
        return ins, t.prim.notation.symbol
    a, b = t.inputs
    if id(b) in hidden:
        return ins, "x Wᵀ"                                        # x @ transpose(W) of a layer
    return ins, "W x" if b.ndim == 1 and a.ndim >= 2 else t.prim.notation.symbol


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
