"""Text laid out for a terminal: widths in columns, where a Chinese character takes two."""
import re
import unicodedata

__all__ = ["display_width", "pad", "table_row"]

_ANSI = re.compile(r"\x1b\[[0-9;]*m")            # a colour code takes no column


def _char_width(c: str) -> int:
    if unicodedata.category(c) in ("Mn", "Me", "Cf"):
        return 0                                   # a combining mark (the hat of η̂), a zero-width space
    return 2 if unicodedata.east_asian_width(c) in "WF" else 1


def display_width(text: str) -> int:
    """Terminal columns of ``text``: an East Asian wide or full-width character takes two, a
    combining mark, a zero-width format character or an ANSI colour code none."""
    return sum(_char_width(c) for c in _ANSI.sub("", text))


def pad(text, width: int, align: str = "left") -> str:
    """``str(text)`` padded with spaces to ``width`` terminal columns; ``align`` is "left",
    "right" or "center". Text already wider is returned unchanged."""
    text = str(text)
    room = max(0, width - display_width(text))
    if align == "left":
        return text + " " * room
    if align == "right":
        return " " * room + text
    if align == "center":
        return " " * (room // 2) + text + " " * (room - room // 2)
    raise ValueError(f"pad: align must be 'left', 'right' or 'center', got {align!r}")


def table_row(cells, widths) -> str:
    """One line of a text table: each cell right-aligned to its width in terminal columns, so
    columns with Chinese text line up. ``print(table_row(("方法", 0.25), (8, 6)))``"""
    return " ".join(pad(c, w, "right") for c, w in zip(cells, widths))
