"""See what you computed: the recorded computation graph drawn as NNDL fig. 5.8 (published fig.
4.8) draws it, frame by frame for the accumulation sequences, and rendered with no system package.

    import tinygrad_cn as tg
    f.backward()
    d = tg.draw(f)             # a graphviz.Digraph: shows itself in Jupyter; ∂f/∂· on every node
    d.to_png("f.png")          # or tg.to_png(f, "f.png"); d.render(), d.view(), d.pipe() as in graphviz
    tg.draw(loss, model=net, group=True)    # parameters named 0.weight, …; a box per module

Modules: ``draw`` (the graph: names, folding, modules, adjoints), ``frames`` (one drawing per
step), ``labels`` (label text), ``engines`` (Graphviz engines, PNG with the bundled font, files),
``drawing`` (the Digraph subclass). Without an engine the DOT text is still there:
``draw(y).source``.
"""
from .draw import draw
from .drawing import Drawing
from .engines import BACKENDS, EngineNotFoundError, RenderError, backends, render
from .export import to_png, to_svg
from .frames import frames, step_drawings

__all__ = ["draw", "step_drawings", "frames", "to_svg", "to_png", "render", "backends", "BACKENDS", "Drawing",
           "RenderError", "EngineNotFoundError"]
