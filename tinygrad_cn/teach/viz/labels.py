"""Label text for drawings: numbers, small arrays, escaping, and the HTML-like tables of a node.

A label line is ``(text, colour or None, bold)``. Every text goes through ``esc`` (HTML-like
labels) or ``tooltip`` (plain attributes), so any name a user gives is shown as it is.
"""
import html
import unicodedata

import numpy as np

from ...core.tensor import Tensor

__all__ = ["MAX_SHOWN", "FONT", "FONTSIZE", "COLOURS", "PATH", "GRAD", "TANGENT", "DIM", "CURRENT",
           "CURRENT_FILL", "clean", "esc", "html_label", "num", "shape_text", "value_lines", "tensor_lines",
           "table", "kw_text", "op_label", "tooltip"]

MAX_SHOWN = 6              # tensors with at most this many elements show their values
FONT = "Helvetica"         # layout metrics; PNGs are drawn with the bundled Noto Sans SC
FONTSIZE = 12

# fill, border
COLOURS = {
    "param": ("#d9f2d9", "#2e7d32"),
    "const": ("#eeeeee", "#8a8a8a"),
    "inner": ("#e3f0fc", "#4a7fb5"),
    "output": ("#ffe0b2", "#e65100"),
    "op": ("#fff5cc", "#a08c3c"),
}
PATH = "#d62728"           # highlight
GRAD = "#c62828"
TANGENT = "#1565c0"
DIM = "#555555"
CURRENT = "#7b1fa2"        # the node of the step a frame shows
CURRENT_FILL = "#f3e5f5"
_SHOWN_KW = ("axes", "axis", "shape", "keepdims")


def clean(s, limit=None):
    """Text safe for a label: control characters shown as escapes, surrogates replaced, long text
    cut (the tooltip keeps it whole)."""
    out = []
    for ch in str(s):
        if unicodedata.category(ch) == "Cc":
            out.append(repr(ch)[1:-1])
        elif 0xD800 <= ord(ch) <= 0xDFFF:
            out.append("\ufffd")
        else:
            out.append(ch)
    s = "".join(out)
    if limit is not None and len(s) > limit:
        s = s[:limit - 1] + "…"
    return s


def esc(s, limit=None):
    """Text for an HTML-like label. Graphviz still reads backslashes there (\\N is the node's
    name, \\G the graph's), so each is doubled; then &, <, >, quotes become entities."""
    return html.escape(clean(s, limit).replace("\\", "\\\\"), quote=True)


def html_label(body):
    return f"<{body}>"


def _width(text, size):
    """A generous estimate of the width in points of ``text``: CJK characters and the symbols that
    the bundled font draws a full em wide (∂ × · ÷ →: East Asian width "A") count 1 em. Engines
    know only Latin metrics (graphviz-pure counts other characters as a space), so a line with
    other characters gets this as its minimum width."""
    return sum(size if unicodedata.east_asian_width(c) in "WFA" else 0.56 * size for c in text)


def num(v):
    if isinstance(v, (bool, np.bool_)):
        return str(bool(v))
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    v = float(v)
    if v == 0:
        return "0"            # also -0.0
    return f"{v:.4g}"


def _rows(a):
    """Display rows of a small array (values as ``num`` writes them)."""
    a = np.asarray(a)
    if a.ndim == 0:
        return [num(a.item())]
    s = np.array2string(a, separator=", ", max_line_width=48, threshold=MAX_SHOWN,
                        formatter={"all": lambda v: num(v)})
    return s.splitlines()


def shape_text(shape):
    return "(" + ", ".join(str(n) for n in shape) + ("," if len(shape) == 1 else "") + ")"


def value_lines(prefix, arr, colour):
    """``prefix = value`` for a small array, ``prefix: shape`` for a large one."""
    arr = arr.data if isinstance(arr, Tensor) else np.asarray(arr)
    if arr.size > MAX_SHOWN:
        return [(f"{prefix}: shape {shape_text(arr.shape)}", colour, False)]
    rows = _rows(arr)
    if len(rows) == 1:
        return [(f"{prefix} = {rows[0]}", colour, False)]
    return [(f"{prefix} =", colour, False)] + [(r, colour, False) for r in rows]


def tensor_lines(t, name, values, constant=False):
    """The name/value/shape lines of a tensor's box; a literal constant is just its value."""
    name = clean(name, 40)
    if constant:
        return [(name, None, True)]
    lines = []
    if t.ndim == 0:
        lines.append((f"{name} = {_rows(t.data)[0]}" if values else name, None, True))
        if t.dtype != np.float64:
            lines.append((str(t.dtype), DIM, False))
    else:
        lines.append((name, None, True))
        dt = "" if t.dtype == np.float64 else f" {t.dtype}"
        lines.append((f"shape {shape_text(t.shape)}{dt}", DIM, False))
        if values and t.size <= MAX_SHOWN:
            lines += [(r, None, False) for r in _rows(t.data)]
    return lines


def table(lines):
    wide = any(ord(c) > 0x7E for text, _, _ in lines for c in text)
    cells = []
    for k, (text, colour, bold) in enumerate(lines):
        body = esc(text)
        if bold:
            body = f"<B>{body}</B>"
        if colour:
            body = f'<FONT COLOR="{colour}">{body}</FONT>'
        width = ""
        if wide and k == 0:
            w = max(_width(x, FONTSIZE) for x, _, _ in lines)
            width = f' WIDTH="{int(w) + 2}"'
        cells.append(f"<TR><TD{width}>{body}</TD></TR>")
    return html_label('<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1">'
                      + "".join(cells) + "</TABLE>")


def kw_text(kw):
    if not kw:
        return ""
    parts = []
    for key in _SHOWN_KW:
        if key in kw and not (key == "keepdims" and not kw[key]):
            v = kw[key]
            parts.append(f"{key}={shape_text(v) if isinstance(v, tuple) else v}")
    return clean(" ".join(parts), 28)


def op_label(symbol, extra=""):
    """An op's mark (the primitive's ``notation.symbol``, or a folded layer's form such as
    "x Wᵀ") with its parameters in small grey type."""
    sym = esc(symbol)
    if extra:
        sym += f'<BR/><FONT POINT-SIZE="8" COLOR="{DIM}">{esc(extra)}</FONT>'
    return html_label(sym)


def tooltip(text):
    """A tooltip attribute that shows ``text`` as it is. Graphviz unescapes a tooltip's backslashes
    twice on the way to SVG (\\N would become the node's name), so each is written four times;
    & is written as an entity, which Graphviz passes through; ``quote`` then escapes the quotes."""
    import graphviz
    text = clean(text, 300).replace("&", "&amp;").replace("\\", "\\" * 4)
    return graphviz.nohtml(text)
