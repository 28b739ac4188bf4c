"""The CJK font shipped with the package, so PNGs and figures draw Chinese on a machine with no
font installed: a subset of Noto Sans SC Regular (SIL Open Font License 1.1, ``fonts/OFL.txt``)
holding ASCII, Latin, Greek, mathematical symbols and the 6763 characters of GB 2312 (with every
Chinese character the tutorials use). ``fonts/README.md`` says where it comes from and how it was
cut. Importing this module loads nothing."""
from pathlib import Path

__all__ = ["FAMILY", "PATH", "LICENCE"]

FAMILY = "Noto Sans SC"
PATH = Path(__file__).parent / "fonts" / "NotoSansSC-Subset.ttf"
LICENCE = Path(__file__).parent / "fonts" / "OFL.txt"
