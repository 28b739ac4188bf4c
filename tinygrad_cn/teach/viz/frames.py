"""Step-by-step frames: one drawing per step of an accumulation sequence (``teach.trace``), so a
learner can flip through the forward sweep (NNDL eqs. 5.69–5.74) or the reverse sweep (eqs.
5.75–5.79). Frames work on a swept graph too (after ``backward()``)."""
import os
import pathlib
import re

from ...core.graph import node_names
from ...core.tensor import Tensor
from ..trace import forward_steps, reverse_steps
from .draw import build, check_args, graph_order
from .engines import write_file
from .export import to_svg
from .labels import DIM, GRAD, TANGENT, num

__all__ = ["step_drawings", "frames"]

_MODES = ("forward", "reverse")


def step_drawings(output, *, mode="reverse", wrt=None, values=True, highlight=None, direction=None):
    """One drawing per step of an accumulation sequence of ``tinygrad_cn.trace`` (a scalar graph).

    ``mode="forward"``: the steps of ``forward_steps(output, wrt)`` (NNDL eqs. 5.69–5.74); each
    tensor that depends on ``wrt`` shows ∂node/∂wrt once its step has been computed (and
    ``∂node/∂wrt = ?`` before); ``wrt`` shows the seed ∂wrt/∂wrt = 1 throughout. ``wrt`` defaults
    to the graph's only leaf that requires grad.

    ``mode="reverse"``: the steps of ``reverse_steps(output)`` (eqs. 5.75–5.79); each tensor shows
    its adjoint ∂output/∂node once computed (the seed ∂output/∂output = 1 first). ``wrt`` must be
    None: one reverse sweep gives the derivative with respect to every node.

    In frame k the node of step k is drawn with a thick purple border and light purple fill (SVG
    class "current"), its value line in bold, and so are the edges its chain-rule terms come
    through (its inputs in forward mode, its consumers in reverse mode); the title says the mode,
    "step k+1 of n" and the step's equation (``Step.equation()``). The tensors' own ``grad`` and
    ``tangent`` are not shown. ``values``, ``highlight`` and ``direction`` are as in ``draw``.
    """
    d = check_args(output, direction, "frames")
    if mode not in _MODES:
        raise ValueError(f"frames: mode must be 'forward' or 'reverse', got {mode!r}")
    order = graph_order(output)
    index = {id(t) for t in order}
    names = node_names(order)
    if mode == "forward":
        if wrt is None:
            params = [t for t in order if t.prim is None and t.requires_grad]
            if len(params) != 1:
                found = ", ".join(names[id(t)] for t in params) or "none"
                raise ValueError("frames: forward mode needs wrt=, the variable to differentiate by "
                                 f"(the graph's leaves that require grad: {found})")
            wrt = params[0]
        if not isinstance(wrt, Tensor):
            raise TypeError(f"frames: wrt must be a Tensor of the graph, got {type(wrt).__name__}")
        if id(wrt) not in index:
            raise ValueError("frames: wrt is not in the graph of this output (the output was not "
                             "computed from it)")
        steps = forward_steps(output, wrt)
        var, seed, colour = names[id(wrt)], {id(wrt): 1.0}, TANGENT
        label = lambda node: f"∂{node}/∂{var}"              # noqa: E731
        head = f"前向模式 forward mode（∂·/∂{var}）"
    else:
        if wrt is not None:
            raise ValueError("frames: wrt is for forward mode; one reverse sweep gives ∂output/∂node "
                             "for every node (highlight= draws the path from a variable)")
        steps = reverse_steps(output)
        var, seed, colour = names[id(output)], {}, GRAD
        label = lambda node: f"∂{var}/∂{node}"              # noqa: E731
        head = f"反向模式 reverse mode（∂{var}/∂·）"

    by_id = {id(t): t for t in order}
    ids = [id(s.tensor) for s in steps]
    drawings = []
    for k, step in enumerate(steps):
        notes = {i: [(f"{label(names[i])} = {num(v)}", colour, False)] for i, v in seed.items()}
        for j, s in enumerate(steps):
            known = j <= k
            text = f"{label(names[ids[j]])} = {num(s.total) if known else '?'}"
            notes[ids[j]] = [(text, colour if known else DIM, j == k)]
        node = step.tensor
        if mode == "forward":       # the terms come in through the inputs that carry a tangent
            known = set(seed) | set(ids[:k])
            ops = {node} if node.prim is not None else set()
            edges = {(x, node) for x in (node.inputs or ()) if id(x) in known}
        else:                       # the terms come back from every consumer
            users = [t for t in order if t.prim is not None and any(x is node for x in t.inputs)]
            ops, edges = set(users), {(node, u) for u in users}
        title = f"{head}：第 {k + 1} 步，共 {len(steps)} 步\n{step.equation()}"
        drawings.append(build(output, order, values=values, highlight=highlight, direction=d, title=title,
                              fold=False, notes=notes, current=(by_id[id(node)], ops, edges)))
    return drawings


def frames(output, directory, *, mode="reverse", wrt=None, prefix="step", values=True, highlight=None,
           direction=None, backend=None):
    """Write the steps of an accumulation sequence as numbered SVG files, one per step, and return
    their paths: ``<directory>/<prefix>_00.svg``, ``_01.svg``, … (more digits past 100 steps).

    Frame k is ``step_drawings(output, mode=mode, wrt=wrt, ...)[k]``: the graph with the node of
    step k highlighted and the values computed so far (∂node/∂wrt in forward mode, NNDL eqs.
    5.69–5.74; ∂output/∂node in reverse mode, eqs. 5.75–5.79); flip through the files in order
    to watch the sweep. ``directory`` is created if needed; files ``<prefix>_<digits>.svg`` left
    there by an earlier, longer run are removed, so the folder holds exactly this sequence.
    Every frame is rendered before any file is written, and a failed write removes the frames
    written so far. ``backend``: as in ``to_svg``.
    """
    prefix = str(prefix)
    if not prefix or os.sep in prefix or (os.altsep and os.altsep in prefix):
        raise ValueError(f"frames: prefix must be a plain file-name prefix, got {prefix!r}")
    drawings = step_drawings(output, mode=mode, wrt=wrt, values=values, highlight=highlight, direction=direction)
    svgs = [to_svg(drawing, backend=backend) for drawing in drawings]   # all, before writing any
    folder = pathlib.Path(directory)
    made = not folder.exists()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise type(e)(e.errno, f"frames: cannot make the folder {str(folder)!r} ({e.strerror or e})") from None
    width = max(2, len(str(len(drawings) - 1)))
    paths = [folder / f"{prefix}_{k:0{width}d}.svg" for k in range(len(drawings))]
    written = []
    try:
        for path, svg in zip(paths, svgs):
            write_file(path, svg, "frames")
            written.append(path)
    except OSError:                 # nothing half done: the frames of this call go again
        for path in written:
            path.unlink()
        if made and not any(folder.iterdir()):
            folder.rmdir()
        raise
    own = re.compile(re.escape(prefix) + r"_\d+\.svg")
    keep = {p.name for p in paths}
    for old in folder.iterdir():
        if own.fullmatch(old.name) and old.name not in keep and old.is_file():
            old.unlink()
    return paths
