"""A tutorial's cells: jupytext's percent format, where ``# %%`` starts a code cell and
``# %% [markdown]`` a text cell whose lines are Markdown behind ``# ``. ``# %% [predict] tol=0.01``
is a code cell that asks the learner to predict its answer first (``teach.predict``). The same
file runs as a plain script and opens as a notebook (VS Code, or Jupyter with jupytext)."""
import re
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["Cell", "parse", "read_cells"]

_MARKER = re.compile(r"^#\s?%%(?P<rest>.*)$")
_KIND = re.compile(r"^\s*\[(?P<kind>[\w-]+)\]")
_KINDS = {"md": "markdown", "markdown": "markdown", "raw": "raw", "predict": "predict"}
_OPTION = re.compile(r"(\w+)=(\S+)")


@dataclass
class Cell:
    """One cell: ``kind`` is "code", "markdown", "raw" or "predict" (code that asks for a
    prediction first); ``source`` is its text (for markdown, without the ``# `` prefixes); ``line``
    is the file line of its first source line (1-based); ``options`` the ``key=value`` words of a
    predict cell's marker line."""
    number: int
    kind: str
    source: str
    line: int
    title: str = ""
    options: dict = field(default_factory=dict)


def _uncomment(line):
    if line.startswith("# "):
        return line[2:]
    if line.startswith("#"):
        return line[1:]
    return line


def _trim(lines, first_line):
    """Drop blank lines at both ends; return (lines, line number of the first kept line)."""
    start, end = 0, len(lines)
    while start < end and not lines[start].strip():
        start += 1
    while end > start and not lines[end - 1].strip():
        end -= 1
    return lines[start:end], first_line + start


def parse(text):
    """The cells of a percent-format file, in order, numbered from 1. Lines before the first
    ``# %%`` form a code cell if they hold anything but comments (a jupytext YAML header
    between ``# ---`` lines, a shebang or an encoding line is skipped)."""
    lines = text.splitlines()
    cells = []
    kind, title, body, body_start, options = "code", "", [], 1, {}
    preamble = True

    def flush():
        content, line = _trim(body, body_start)
        if kind == "markdown":
            content = [_uncomment(text) for text in content]
        elif kind == "code" and preamble and all(t.lstrip().startswith("#") for t in content):
            return                                   # only a header (comments, YAML, shebang)
        if content:
            cells.append(Cell(len(cells) + 1, kind, "\n".join(content), line, title, options))

    for i, line in enumerate(lines, start=1):
        m = _MARKER.match(line)
        if m:
            flush()
            preamble = False
            rest = m.group("rest").strip()
            k = _KIND.match(rest)
            kind = "code"
            if k:
                kind = _KINDS.get(k.group("kind").lower(), "code")
                rest = rest[k.end():].strip()
            options = dict(_OPTION.findall(rest)) if kind == "predict" else {}
            title = rest if rest and "=" not in rest.split()[0] else ""
            body, body_start = [], i + 1
        else:
            body.append(line)
    flush()
    return cells


def read_cells(path):
    return parse(Path(path).read_text(encoding="utf-8"))
