"""The terminal the entry points write to: an encoding that never crashes, colour only on a
terminal, and the command that names the interpreter actually running."""
import os
import shlex
import shutil
import sys

__all__ = ["safe_output", "wants_color", "interpreter", "command"]


def safe_output():
    """Make ``sys.stdout`` and ``sys.stderr`` replace what their encoding cannot show (a Chinese
    character on a cp1252 console becomes ``?``, a ✓ on GBK too) instead of raising
    UnicodeEncodeError; turn on ANSI colours in a Windows console. Safe to call twice."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors="replace")
        except (AttributeError, ValueError):         # not a text file (redirected in a test), closed
            pass
    if os.name == "nt":
        os.system("")                                # enables the console's VT (ANSI) mode


def wants_color(stream):
    """True when ``stream`` is a terminal and neither NO_COLOR nor TERM=dumb asks for plain text."""
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _quote(arg):
    if os.name == "nt":
        return f'"{arg}"' if " " in arg else arg
    return shlex.quote(arg)


def interpreter():
    """How to type the running interpreter (``sys.executable``) again: its bare name when that
    name on PATH is this very file (an activated venv), else the shorter of its path relative to
    the current folder (``.venv/bin/python``) and its full path. Symlinks are not followed: a
    venv's python links to the system one but is not the same interpreter."""
    exe = os.path.abspath(sys.executable or "python")
    for name in ("python", "python3", os.path.basename(exe)):
        found = shutil.which(name)
        if found and os.path.abspath(found) == exe:
            return name
    try:
        rel = os.path.relpath(exe)
    except ValueError:                               # another drive (Windows)
        rel = exe
    if os.sep not in rel:
        rel = os.path.join(".", rel)                 # ./python, not the python on PATH
    return _quote(min(rel, exe, key=len))


def command(*args):
    """A command line that runs ``python -m ...`` with this interpreter: ``command("-m", "x")``."""
    return " ".join([interpreter()] + [_quote(str(a)) for a in args])
