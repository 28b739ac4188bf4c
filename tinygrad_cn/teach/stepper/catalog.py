"""Where the tutorials are, and which one a learner means by ``01``, ``sigmoid_wx_b`` or a path.

The repository's ``tutorials/`` folder is the source of truth. An installed wheel carries it as the
package ``tinygrad_cn.tutorials`` (``package_dir`` in setup.py); a checkout or an editable
install finds it beside the package. A tutorial is a file ``NN_name.py``; its title is the first
heading of its first text cell."""
import re
from dataclasses import dataclass
from pathlib import Path

from ..text import pad
from .cells import read_cells

__all__ = ["Tutorial", "TutorialNotFound", "tutorials_dir", "tutorials", "listing", "find"]

_FILE = re.compile(r"^(?P<number>\d+)_(?P<name>\w+)\.py$")
_PACKAGE = Path(__file__).resolve().parents[2]                 # tinygrad_cn/


class TutorialNotFound(LookupError):
    """No tutorial matches what was asked for; the message lists those that exist."""


@dataclass(frozen=True)
class Tutorial:
    number: str            # "01"
    name: str              # "sigmoid_wx_b"
    path: Path

    @property
    def title(self):
        """The first heading of the first text cell, without a leading "教程 NN：" (or the name); a
        case study's "教程 NN（案例）：" becomes "案例："."""
        for cell in read_cells(self.path):
            if cell.kind == "markdown":
                m = re.search(r"^#+\s+(.+)$", cell.source, re.M)
                if m:
                    return re.sub(r"^教程\s*\d+\s*(（案例）)?\s*[:：]\s*",
                                  lambda h: "案例：" if h.group(1) else "", m.group(1)).strip()
        return self.name


def tutorials_dir():
    """The folder holding the tutorials: ``tinygrad_cn/tutorials`` in an installed wheel, else
    ``tutorials/`` beside the package (a checkout). None when neither exists."""
    for folder in (_PACKAGE / "tutorials", _PACKAGE.parent / "tutorials"):
        if folder.is_dir() and any(_FILE.match(p.name) for p in folder.iterdir()):
            return folder
    return None


def tutorials():
    """Every tutorial, in number order."""
    folder = tutorials_dir()
    if folder is None:
        return []
    found = [(m, p) for p in folder.iterdir() if (m := _FILE.match(p.name)) and p.is_file()]
    return sorted((Tutorial(m["number"], m["name"], p) for m, p in found), key=lambda t: (int(t.number), t.name))


def listing():
    """``01  sigmoid_wx_b  σ(wx + b) 的计算图…``, one line per tutorial."""
    rows = tutorials()
    width = max((len(t.name) for t in rows), default=0)
    return "\n".join(f"{t.number}  {pad(t.name, width)}  {t.title}" for t in rows)


def find(spec):
    """The tutorial file (an absolute path) that ``spec`` names: an existing file; else a number (``1``, ``01``), a
    name (``sigmoid_wx_b``, ``01_sigmoid_wx_b``, ``01_sigmoid_wx_b.py``, ``tutorials/01_….py``
    from any folder) or the unique start of a name (``sigmoid``). Raises TutorialNotFound."""
    path = Path(spec)
    if path.is_file():
        return path.resolve()
    known = tutorials()
    key = path.name[:-3] if path.name.endswith(".py") else path.name
    for match in (
        lambda t: key.isdigit() and int(key) == int(t.number),
        lambda t: key in (t.name, f"{t.number}_{t.name}"),
        lambda t: len(key) >= 3 and t.name.startswith(key),
    ):
        hits = [t for t in known if match(t)]
        if len(hits) == 1:
            return hits[0].path
        if len(hits) > 1:
            raise TutorialNotFound(f"tutorial {spec!r} is ambiguous: it matches "
                                   + ", ".join(f"{t.number}_{t.name}" for t in hits))
    where = tutorials_dir()
    if where is None:
        raise TutorialNotFound(f"no tutorial {spec!r}: no such file, and no tutorials folder was found "
                               f"(looked in {_PACKAGE / 'tutorials'} and {_PACKAGE.parent / 'tutorials'})")
    raise TutorialNotFound(f"no tutorial {spec!r}: no such file, and no tutorial by that number or name "
                           f"in {where}. The tutorials are:\n{listing()}")
