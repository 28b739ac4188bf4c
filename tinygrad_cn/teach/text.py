"""Text laid out for a terminal: widths in columns, where a Chinese character takes two."""
import unicodedata

__all__ = ["display_width", "table_row"]


def display_width(text: str) -> int:
    """Terminal columns of ``text``: an East Asian wide or full-width character takes two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def table_row(cells, widths) -> str:
    """One line of a text table: each cell right-aligned to its width in terminal columns, so
    columns with Chinese text line up. ``print(table_row(("方法", 0.25), (8, 6)))``"""
    return " ".join(" " * max(0, w - display_width(str(c))) + str(c) for c, w in zip(cells, widths))
