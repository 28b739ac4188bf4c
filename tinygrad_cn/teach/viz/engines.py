"""Rendering DOT text with whichever Graphviz engine is installed, and PNGs with the bundled font.

Engines, tried in this order (``backends()`` lists those installed):

1. ``dot``: a system Graphviz on PATH;
2. ``pygraphviz``: Graphviz's C library, in its PyPI wheels (needs glib and X11 libraries);
3. ``graphviz-pure``: a self-contained port of ``dot`` on PyPI (a dependency where it has wheels),
   which needs nothing from the system.

SVG is the engine's own (browsers and Jupyter draw its text, Chinese included). A PNG is the
engine's SVG drawn by ``resvg`` (the ``resvg-py`` wheel, a dependency) with the bundled Noto Sans SC
(``tinygrad_cn.teach.bundled_font``), so Chinese shows on a machine with no font installed and
every engine gives the same picture; without ``resvg-py`` the engine draws the PNG itself (Latin
only for graphviz-pure). ``TINYGRAD_CN_FONT``, the path of a font file, is used before the bundled
font.
"""
import os
import pathlib
import shutil
import subprocess
import sys
import sysconfig
import uuid
import warnings

from .. import bundled_font
from .labels import clean

__all__ = ["BACKENDS", "RenderError", "EngineNotFoundError", "backends", "find_engine", "render", "write_file",
           "open_file"]

BACKENDS = ("dot", "pygraphviz", "graphviz-pure")


class RenderError(RuntimeError):
    """A Graphviz engine could not render the graph."""


class EngineNotFoundError(RenderError):
    """No Graphviz engine is installed that can render this format."""


def backends():
    """The Graphviz engines installed here, in the order they are tried."""
    return [b for b in BACKENDS if find_engine(b)[0] is not None]


def _pure_path():
    exe = "graphviz-pure.exe" if os.name == "nt" else "graphviz-pure"
    found = shutil.which("graphviz-pure")
    if found:
        return found
    # a venv used without activating it (e.g. a Jupyter kernel) has its scripts off PATH
    for d in (sysconfig.get_path("scripts"), os.path.dirname(sys.executable)):
        p = os.path.join(d, exe)
        if d and os.path.isfile(p) and os.access(p, os.X_OK):
            return p
    return None


def find_engine(backend):
    """(handle, None) if ``backend`` is usable, else (None, why not)."""
    if backend == "dot":
        p = shutil.which("dot")
        return (p, None) if p else (None, "no 'dot' on PATH")
    if backend == "pygraphviz":
        try:
            import pygraphviz
        except Exception as e:      # ImportError, or OSError when a system library is missing
            return None, f"cannot import pygraphviz ({type(e).__name__}: {e})"
        return pygraphviz, None
    if backend == "graphviz-pure":
        p = _pure_path()
        return (p, None) if p else (None, "no 'graphviz-pure' program found")
    raise ValueError(f"unknown backend {backend!r}; choose one of {', '.join(BACKENDS)}")


def _run(exe, source, fmt, graph_attrs):
    args = [exe, "-Kdot", f"-T{fmt}"] + [f"-G{k}={v}" for k, v in graph_attrs.items()]
    p = subprocess.run(args, input=source.encode("utf-8"), capture_output=True, timeout=120)
    if p.returncode != 0 or not p.stdout:
        err = p.stderr.decode("utf-8", "replace").strip() or f"exit status {p.returncode}"
        raise RenderError(err)
    return p.stdout


def _pygraphviz(pgv, source, fmt, graph_attrs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        a = pgv.AGraph(string=source)
        for k, v in graph_attrs.items():
            a.graph_attr[k] = v
        out = a.draw(format=fmt, prog="dot")
    if not out:
        raise RenderError("no output")
    return out


_HOW = ("install one of them: pip install graphviz-pure (a self-contained dot for Linux x86-64 and "
        "aarch64, Windows x64 and ARM64, and macOS), or pip install pygraphviz, or a system Graphviz "
        "(apt install graphviz, brew install graphviz, conda install graphviz, winget install "
        "graphviz). The DOT text is available meanwhile as draw(y).source (paste it into any "
        "Graphviz viewer)")


def _engine_output(source, fmt, backend, graph_attrs):
    names = BACKENDS if backend is None else (backend,)
    problems, tried = [], False
    for name in names:
        handle, why = find_engine(name)
        if handle is None:
            problems.append(f"{name}: {why}")
            continue
        tried = True
        try:
            if name == "pygraphviz":
                return _pygraphviz(handle, source, fmt, graph_attrs)
            return _run(handle, source, fmt, graph_attrs)
        except Exception as e:
            problems.append(f"{name}: {type(e).__name__}: {clean(str(e), 500)}")
    detail = "; ".join(problems)
    if not tried:
        raise EngineNotFoundError(f"no Graphviz engine to render {fmt.upper()} ({detail}); {_HOW}")
    raise RenderError(f"could not render {fmt.upper()}: {detail}")


def _font_files():
    env = os.environ.get("TINYGRAD_CN_FONT", "").strip()
    own = [env] if env and os.path.isfile(env) else []
    return own + [str(bundled_font.PATH)]


def _rasterise(svg, dpi):
    """The PNG of an SVG drawn by resvg with the bundled font, or None without resvg-py."""
    try:
        import resvg_py
    except ImportError:
        return None
    family = bundled_font.FAMILY
    try:
        return bytes(resvg_py.svg_to_bytes(
            svg_string=svg.decode("utf-8"), dpi=float(dpi), font_files=_font_files(), skip_system_fonts=True,
            font_family=family, sans_serif_family=family, serif_family=family, monospace_family=family))
    except ValueError as e:
        raise RenderError(f"resvg could not draw the SVG as PNG: {e}") from None


def render(source, fmt="svg", *, backend=None, graph_attrs=None, dpi=144):
    """Render DOT text to ``fmt`` ("svg", "png", …) bytes with the first engine that can; a PNG
    at ``dpi`` (pixels per inch: a 72 pt wide graph is ``dpi`` pixels wide)."""
    graph_attrs = dict(graph_attrs or {})
    if fmt == "png":
        png = _rasterise(_engine_output(source, "svg", backend, graph_attrs), dpi)
        if png is not None:
            return png
        graph_attrs["dpi"] = str(dpi)
    return _engine_output(source, fmt, backend, graph_attrs)


def write_file(path, data, who):
    """Write ``data`` (bytes or str) to ``path`` through a temporary file in the same folder, so a
    failed write leaves nothing behind and never a half-written file; the error names the path."""
    path = pathlib.Path(path)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:12]}.tmp")
    try:
        with open(tmp, "xb") as f:          # made with the user's umask, as the file itself would be
            f.write(raw)
        os.replace(tmp, path)
    except OSError as e:
        if os.path.lexists(tmp):
            os.remove(tmp)
        raise type(e)(e.errno, f"{who}: cannot write {str(path)!r} ({e.strerror or e}); check that its "
                               "folder exists and is writable and that the name is a file name") from None
    return path


def open_file(path):
    """Open ``path`` in the system's viewer; with no viewer (a server, a container), print where it is."""
    path = str(path)
    try:
        if sys.platform == "win32":
            os.startfile(path)                      # noqa: S606 - the user asked to view the file
            return
        opener = "open" if sys.platform == "darwin" else shutil.which("xdg-open")
        if opener:
            subprocess.Popen([opener, path], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            return
    except OSError:
        pass
    print(f"written to {path} (no viewer found here: open it yourself)")
