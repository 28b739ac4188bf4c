"""What every tutorial needs before its lesson: quick mode, the output folder, figures, drawings.

    import tinygrad_cn as tg
    from tinygrad_cn.teach.lesson import QUICK, plt, save_drawing

``QUICK``   True when ``TINYGRAD_CN_QUICK=1``: the test suite runs each tutorial's short version.
``OUT``     the folder figures and drawings go to: ``plotting.out_dir()`` ($TINYGRAD_CN_OUT, which the
            stepper sets, else ./out).
``plt``     ``plotting.pyplot(optional=True)``: matplotlib.pyplot with a Chinese font, or None
            without matplotlib (the optional ``plot`` extra).

The three names are looked up when they are imported (a module ``__getattr__``, PEP 562), not when
this module is first loaded, so a tutorial run after another in the same process (the stepper, a
notebook) sees the current environment; importing this module loads neither matplotlib nor graphviz.
"""
import inspect
import os

from . import plotting

__all__ = ["QUICK", "OUT", "plt", "save_drawing", "show_code"]  # noqa: F822 (QUICK, OUT, plt: __getattr__)


def __getattr__(name):
    if name == "QUICK":
        return os.environ.get("TINYGRAD_CN_QUICK") == "1"
    if name == "OUT":
        return plotting.out_dir()
    if name == "plt":
        return plotting.pyplot(optional=True)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def save_drawing(drawing, name, fmt="svg"):
    """Save a computation-graph drawing (what ``tg.draw`` returns) as ``<OUT>/<name>.<fmt>`` (fmt
    "svg" or "png"; in Jupyter it is also shown inline) and print where. Returns the path, or None
    with a one-line note when no Graphviz engine can render it (the drawing itself still exists)."""
    from . import viz
    if fmt not in ("svg", "png"):
        raise ValueError(f"save_drawing: fmt must be 'svg' or 'png', got {fmt!r}")
    if plotting.in_jupyter():
        from IPython.display import display
        display(drawing)
    path = plotting.out_dir() / f"{name}.{fmt}"
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        (viz.to_svg if fmt == "svg" else viz.to_png)(drawing, path)
    except viz.RenderError as e:
        print("（没有可用的 Graphviz 引擎，不存图 no Graphviz engine, not saved）", str(e)[:120])
        return None
    print("计算图已保存 graph saved:", plotting.display_path(path))
    return path


def show_code(obj, lines=None):
    """Print the source of a function or class from the package (the model a tutorial imports), with
    where it lives; ``lines=(first, last)`` prints only those lines (1-based, inclusive) of it."""
    src = inspect.getsource(obj).rstrip("\n").split("\n")
    first, last = lines if lines is not None else (1, len(src))
    if not 1 <= first <= last <= len(src):
        raise ValueError(f"show_code: lines {lines} outside 1–{len(src)} of {obj.__qualname__}")
    print(f"# {obj.__module__}.{obj.__qualname__}")
    print("\n".join(src[first - 1:last]))
