"""A tutorial's Markdown cells made readable in a terminal.

Headings are underlined, bullets become •, block quotes get a bar, fenced code is indented, links
show their target, and tables are laid out in columns by display width (a Chinese character takes
two columns). With ``color`` (a terminal), headings, bold text and inline code are coloured; without
it, inline markup stays as written. A lone ``*`` is never taken for emphasis: the tutorials write
a*, s* for fixed points (a CommonMark renderer such as rich's would turn ``b* = −a*μ，a*`` into
italics and drop the stars)."""
import re

from ..text import display_width, pad

__all__ = ["Style", "render_markdown"]


class Style:
    """ANSI styles, or plain text when ``color`` is False."""

    def __init__(self, color):
        self.color = color

    def _wrap(self, code, text):
        return f"\033[{code}m{text}\033[0m" if self.color else text

    def bold(self, t):
        return self._wrap("1", t)

    def heading(self, t):
        return self._wrap("1;4", t)

    def code(self, t):
        return self._wrap("36", t)

    def dim(self, t):
        return self._wrap("2", t)

    def red(self, t):
        return self._wrap("1;31", t)

    def green(self, t):
        return self._wrap("32", t)


_PLAIN = Style(False)
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_BULLET = re.compile(r"^(\s*)[-*+]\s+(.*)$")
_QUOTE = re.compile(r"^\s*>\s?(.*)$")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
_PIPE = re.compile(r"(?<!\\)\|")


def _inline(text, style):
    text = re.sub(r"\[([^\]]+)\]\(([^)\s]+)\)", r"\1 (\2)", text)            # links
    if style.color:
        text = re.sub(r"`([^`]+)`", lambda m: style.code(m.group(1)), text)
        text = re.sub(r"\*\*(.+?)\*\*|__(.+?)__", lambda m: style.bold(m.group(1) or m.group(2)), text)
    return text


def _cells(line):
    line = line.strip()
    line = line[1:] if line.startswith("|") else line
    line = line[:-1] if line.endswith("|") and not line.endswith("\\|") else line
    return [c.strip().replace("\\|", "|") for c in _PIPE.split(line)]


def _align(rule_cell):
    left, right = rule_cell.startswith(":"), rule_cell.endswith(":")
    return "center" if left and right else "right" if right else "left"


def _table(lines, style):
    """Rows ``| a | b |`` with a ``|---|---|`` rule under the header, laid out in columns."""
    header, aligns = _cells(lines[0]), [_align(c) for c in _cells(lines[1])]
    rows = [header] + [_cells(line) for line in lines[2:]]
    n = max(len(r) for r in rows)
    shown = [[_inline(c, style) for c in r + [""] * (n - len(r))] for r in rows]
    shown[0] = [style.bold(c) for c in shown[0]]
    aligns += ["left"] * (n - len(aligns))
    widths = [max(display_width(r[j]) for r in shown) for j in range(n)]
    lines = [" " + style.dim(" │ ").join(pad(c, w, a) for c, w, a in zip(r, widths, aligns)) for r in shown]
    rule = style.dim("─" + "─┼─".join("─" * w for w in widths))
    return [lines[0], rule] + lines[1:]


def render_markdown(source, color=False):
    """Markdown made readable in a terminal (see the module docstring); returns the text."""
    style = Style(color)
    lines = source.split("\n")
    out, fenced, i = [], False, 0
    while i < len(lines):
        line = lines[i]
        i += 1
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
            continue
        if fenced:
            out.append("    " + style.code(line))
            continue
        if line.lstrip().startswith("|") and i < len(lines) and _TABLE_RULE.match(lines[i]):
            block = [line]
            while i < len(lines) and lines[i].lstrip().startswith("|"):
                block.append(lines[i])
                i += 1
            out.extend(_table(block, style))
            continue
        m = _HEADING.match(line)
        if m:
            level, text = len(m.group(1)), _inline(m.group(2), _PLAIN)
            if out and out[-1].strip():
                out.append("")
            out.append(style.heading(text) if level == 1 else style.bold(text))
            if level <= 2:
                out.append(("═" if level == 1 else "─") * display_width(text))
            continue
        m = _BULLET.match(line)
        if m:
            out.append(f"{m.group(1)}• {_inline(m.group(2), style)}")
            continue
        m = _QUOTE.match(line)
        if m:
            out.append(style.dim("│ ") + _inline(m.group(1), style))
            continue
        out.append(_inline(line, style))
    return "\n".join(out)
