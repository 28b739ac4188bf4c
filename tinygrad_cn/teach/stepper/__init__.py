"""The terminal stepper (``python -m tinygrad_cn.tutorial``): ``run`` steps through a tutorial
cell by cell; ``cells`` reads the percent format, ``predict`` judges 先想一想 predictions,
``markdown`` renders text cells, ``catalog`` finds tutorials by number or name, ``progress``
shows long cells, ``console`` keeps output safe on any terminal encoding."""
from .cells import Cell, parse, read_cells
from .markdown import render_markdown
from .run import Stepper, main, run

__all__ = ["Cell", "parse", "read_cells", "render_markdown", "Stepper", "run", "main"]
