"""Figures for the tutorials: matplotlib (an optional extra) with a Chinese font, headless-safe.

    from tinygrad_cn import plotting
    plt = plotting.pyplot()                        # matplotlib.pyplot, Agg when headless, CJK font set
    fig, ax = plt.subplots()
    ax.set_xlabel(plotting.label("步长 Δx", "step Δx"))
    plotting.show(fig, "step_size")                # Jupyter: inline; elsewhere: out/step_size.png

matplotlib is the ``plot`` extra (``pip install -e ".[plot]"``). Chinese is drawn with the font the
package ships (``teach.bundled_font``: a subset of Noto Sans SC, SIL OFL 1.1, covering all of GB
2312), registered with matplotlib at run time (nothing is written to the user's matplotlib
configuration); a system font with Simplified Chinese glyphs (Noto Sans CJK, WenQuanYi, Microsoft
YaHei, PingFang, ...) is the fallback. A font is accepted only if it really has the glyphs (its
character map is checked), and ``label`` falls back to the English text when it does not, so a
Chinese label is never drawn as missing-glyph boxes.

Importing this module does not import matplotlib; ``pyplot``, ``label`` and ``show`` do.

Environment: ``TINYGRAD_CN_OUT`` is the folder ``show`` saves into (default ``./out``; the tutorial
stepper sets it). ``TINYGRAD_CN_FONT`` is the path of a font file to use instead, or ``none`` to use
no CJK font (English labels).
"""
import functools
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from . import bundled_font

__all__ = ["pyplot", "label", "show", "cjk_font", "CJKFont", "out_dir", "in_jupyter", "headless"]

INSTALL_HINT = "pip install matplotlib (from a checkout, pip install -e \".[plot]\" does the same)"

# Families that ship Simplified Chinese glyphs, in order of preference (all still checked).
_SYSTEM_FAMILIES = (
    "Noto Sans SC", "Noto Sans CJK SC", "Source Han Sans SC", "Source Han Sans CN",
    "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "Microsoft YaHei", "PingFang SC",
    "Hiragino Sans GB", "Heiti SC", "STHeiti", "SimHei", "Sarasa Gothic SC",
    "Noto Sans CJK JP", "Noto Sans CJK TC", "Noto Sans CJK KR", "Source Han Sans",
    "Noto Serif CJK SC", "Noto Serif SC", "AR PL UMing CN", "AR PL UKai CN",
)

_state = {"font": False}     # font: False = not looked for yet, None = none
_notes_printed = set()


@dataclass
class CJKFont:
    """A font with Simplified Chinese glyphs, registered with matplotlib under ``name``."""
    name: str
    path: str
    source: str                              # "bundled", "system" or "TINYGRAD_CN_FONT"
    charmap: frozenset = field(repr=False, default=frozenset())
    fallback: frozenset = field(repr=False, default=frozenset())   # what DejaVu Sans adds

    def missing(self, text):
        """The characters of ``text`` that neither this font nor its fallback can draw
        (mathtext between ``$`` signs is drawn with matplotlib's own math fonts and not checked)."""
        out = []
        for i, part in enumerate(text.split("$")):
            if i % 2:                      # inside $...$
                continue
            for ch in part:
                if ch.isspace() or ord(ch) < 0x7F:
                    continue
                if ord(ch) not in self.charmap and ord(ch) not in self.fallback and ch not in out:
                    out.append(ch)
        return "".join(out)


def _note(msg):
    if msg not in _notes_printed:
        _notes_printed.add(msg)
        print(msg, flush=True)


def _require_matplotlib():
    try:
        import matplotlib
    except ImportError as e:
        raise ImportError(
            "matplotlib is not installed; it is the optional 'plot' extra of tinygrad_cn. Install it "
            f"with:  {INSTALL_HINT}   (需要 matplotlib)"
        ) from e
    return matplotlib


def in_jupyter():
    """True inside an IPython kernel (Jupyter, VS Code notebooks), where figures show inline."""
    ipython = sys.modules.get("IPython")
    if ipython is None:
        return False
    try:
        shell = ipython.get_ipython()
    except Exception:
        return False
    return shell is not None and getattr(shell, "kernel", None) is not None


def headless():
    """True when there is no display to open a window on (Linux/BSD without X11 or Wayland)."""
    if sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        return not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return False


def _choose_backend(matplotlib):
    """Agg when there is no display, unless the user (MPLBACKEND) or Jupyter chose already."""
    if "matplotlib.pyplot" in sys.modules or os.environ.get("MPLBACKEND") or in_jupyter():
        return
    if headless():
        matplotlib.use("Agg")


def _charmap(path):
    from matplotlib import ft2font
    return frozenset(ft2font.FT2Font(str(path)).get_charmap())


@functools.cache
def _probe_chars():
    """The 3755 characters of GB 2312 level 1 (the common Simplified Chinese characters)."""
    chars = []
    for row in range(0xB0, 0xD8):
        for col in range(0xA1, 0xFF):
            try:
                chars.append(ord(bytes((row, col)).decode("gb2312")))
            except UnicodeDecodeError:
                pass
    chars += [ord(c) for c in "，。：；、（）“”！？"]
    return tuple(chars)


def _covers_chinese(charmap):
    return all(c in charmap for c in _probe_chars())


def _candidates():
    """(path, source) of the font files to try, best first."""
    env = os.environ.get("TINYGRAD_CN_FONT", "").strip()
    if env:
        if env.lower() in ("none", "0", "off", "false"):
            return
        yield Path(env), "TINYGRAD_CN_FONT"
    yield bundled_font.PATH, "bundled"
    from matplotlib import font_manager
    by_name = {}
    for entry in font_manager.fontManager.ttflist:
        by_name.setdefault(entry.name, []).append(entry)
    names = list(_SYSTEM_FAMILIES) + sorted(n for n in by_name if "CJK" in n and n not in _SYSTEM_FAMILIES)
    for name in names:
        entries = sorted(by_name.get(name, []), key=lambda e: (e.style != "normal", abs(e.weight - 400)
                                                               if isinstance(e.weight, int) else 0))
        for entry in entries[:1]:
            yield Path(entry.fname), "system"


def _find_font():
    from matplotlib import font_manager
    try:
        fallback = _charmap(font_manager.findfont("DejaVu Sans", fallback_to_default=True))
    except Exception:
        fallback = frozenset()
    for path, source in _candidates():
        try:
            charmap = _charmap(path)
        except Exception:
            continue
        if not _covers_chinese(charmap):
            continue
        font_manager.fontManager.addfont(str(path))
        name = font_manager.FontProperties(fname=str(path)).get_name()
        return CJKFont(name=name, path=str(path), source=source, charmap=charmap,
                       fallback=fallback - charmap)
    return None


def _apply_rc(matplotlib, font):
    """Make ``font`` matplotlib's first sans-serif font, DejaVu Sans after it for what it lacks."""
    rest = [f for f in matplotlib.rcParams["font.sans-serif"] if f != font.name]
    # the family list itself names both fonts: matplotlib falls back per glyph only along
    # font.family, not along font.sans-serif (‴ ∛ ₁ are in DejaVu Sans, not in Noto Sans SC)
    matplotlib.rcParams["font.family"] = [font.name, "DejaVu Sans"]
    matplotlib.rcParams["font.sans-serif"] = [font.name] + rest


def cjk_font():
    """The Chinese font in use (a ``CJKFont``), or None if there is none or no matplotlib.
    The first call registers it with matplotlib and makes it the default sans-serif font."""
    if _state["font"] is False:
        try:
            matplotlib = _require_matplotlib()
        except ImportError:
            _state["no_matplotlib"] = True
            return None                    # not cached: matplotlib may get installed later
        _choose_backend(matplotlib)
        _state["font"] = _find_font()
        if _state["font"] is not None:
            _apply_rc(matplotlib, _state["font"])
    return _state["font"]


def pyplot(optional=False):
    """``matplotlib.pyplot``, with the Agg backend when there is no display and the Chinese font
    configured if one is available. Without matplotlib: ImportError saying how to install it, or,
    with ``optional=True`` (tutorials that still run without figures), a printed note and None."""
    try:
        matplotlib = _require_matplotlib()
    except ImportError as e:
        if not optional:
            raise
        _note(f"（不画图 no figures）{e}")
        return None
    _choose_backend(matplotlib)
    font = cjk_font()
    if font is not None:
        _apply_rc(matplotlib, font)        # again, in case a style reset it
    import matplotlib.pyplot as plt
    return plt


def label(zh, en):
    """``zh`` if it can be drawn with the Chinese font, else ``en`` (with a one-line note, once)."""
    font = cjk_font()
    if font is None:
        if _state.get("no_matplotlib"):
            _note(f"(matplotlib not installed: labels in English; {INSTALL_HINT} to get it)")
        else:
            _note(f"(no CJK font found: labels in English; {INSTALL_HINT} to get one)")
        return en
    missing = font.missing(zh)
    if missing:
        _note(f"(font {font.name} has no glyph for {missing}: that label is in English)")
        return en
    return zh


def out_dir():
    """Where ``show`` saves figures: $TINYGRAD_CN_OUT, else ./out."""
    return Path(os.environ.get("TINYGRAD_CN_OUT") or "out")


def display_path(path):
    """``path`` relative to the current directory when it is inside it (for messages)."""
    path = Path(path)
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(path)


def show(fig, name):
    """Show a figure: inline in Jupyter (returns None); elsewhere save it as ``<out dir>/<name>.png``,
    print where, and return the path. The figure is closed either way."""
    if in_jupyter():
        from IPython.display import display
        display(fig)
        _close(fig)
        return None
    name = str(name)
    path = out_dir() / (name if name.lower().endswith(".png") else name + ".png")
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=120, bbox_inches="tight")
    _close(fig)
    print(f"图已保存 figure saved: {display_path(path)}", flush=True)
    _state["last_saved"] = path        # the stepper does not echo it (in Jupyter show returns None)
    return path


def _close(fig):
    plt = sys.modules.get("matplotlib.pyplot")
    if plt is not None:
        plt.close(fig)
