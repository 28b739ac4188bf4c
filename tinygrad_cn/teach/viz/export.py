"""``to_svg`` and ``to_png``: a Tensor (drawn first) or a drawing, rendered by ``engines``."""
from ...core.tensor import Tensor
from .draw import draw
from .engines import render, write_file

__all__ = ["to_svg", "to_png"]


def _source(obj, kwargs, who):
    """The DOT text of a Tensor (drawn with ``draw(obj, **kwargs)``) or of a graphviz graph."""
    if isinstance(obj, Tensor):
        return draw(obj, **kwargs).source
    if kwargs:
        raise TypeError(f"{who}: {', '.join(kwargs)} only apply when drawing a Tensor")
    src = getattr(obj, "source", None)
    if not isinstance(src, str):
        raise TypeError(f"{who}: expected a Tensor or a graphviz graph (with .source), got "
                        f"{type(obj).__name__}")
    return src


def to_svg(graph, path=None, *, backend=None, **draw_kwargs) -> str:
    """The SVG of ``graph`` (a Tensor, drawn with ``draw(graph, **draw_kwargs)``, or what ``draw``
    returned) as a string; also written to ``path`` if given. ``backend``: one of ``BACKENDS``
    (default: the first installed)."""
    svg = render(_source(graph, draw_kwargs, "to_svg"), "svg", backend=backend).decode("utf-8")
    if path is not None:
        write_file(path, svg, "to_svg")
    return svg


def to_png(graph, path=None, *, dpi=144, backend=None, **draw_kwargs) -> bytes:
    """The PNG of ``graph`` (as for ``to_svg``) as bytes, at ``dpi``; also written to ``path``.
    Text is drawn with the bundled Noto Sans SC, so Chinese shows with any engine."""
    png = render(_source(graph, draw_kwargs, "to_png"), "png", backend=backend, dpi=dpi)
    if path is not None:
        write_file(path, png, "to_png")
    return png
