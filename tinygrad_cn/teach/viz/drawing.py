"""``Drawing``: the ``graphviz.Digraph`` that ``draw`` returns, rendered by the engines of
``engines`` (no system Graphviz needed) in Jupyter and by ``pipe``, ``render``, ``view``,
``to_svg`` and ``to_png``."""
import pathlib

import graphviz

from .engines import RenderError, open_file, render, write_file

__all__ = ["Drawing"]


class Drawing(graphviz.Digraph):
    """A ``graphviz.Digraph`` whose ``pipe``, ``render`` and ``view`` work as graphviz's do, through
    the first installed engine (``backends()``); PNGs draw Chinese with the bundled font. Only
    the ``dot`` layout is supported; ``renderer``/``formatter`` go to graphviz itself (they need a
    system Graphviz)."""

    def pipe(self, format=None, renderer=None, formatter=None, neato_no_op=None, quiet=False, *,
             engine=None, encoding=None):
        """The rendered bytes (``str`` with ``encoding``), as ``graphviz.Digraph.pipe``."""
        if renderer is not None or formatter is not None or neato_no_op is not None:
            return super().pipe(format, renderer, formatter, neato_no_op, quiet, engine=engine, encoding=encoding)
        self._check_engine(engine, "pipe")
        out = render(self.source, format or self.format)
        return out.decode(encoding) if encoding is not None else out

    def render(self, filename=None, directory=None, view=False, cleanup=False, format=None, renderer=None,
               formatter=None, neato_no_op=None, quiet=False, quiet_view=False, *, outfile=None, engine=None,
               raise_if_result_exists=False, overwrite_source=False):
        """As ``graphviz.Digraph.render``: save the DOT source to ``filename`` (default
        ``computation_graph.gv``) in ``directory`` and the rendered file beside it
        (``computation_graph.gv.svg``), or to ``outfile`` (its suffix gives the format, the source
        goes beside it as ``.gv``); ``cleanup`` keeps only the rendered file; ``view`` opens it (or
        prints its path when there is no viewer). Returns the rendered file's path. Everything is
        rendered before any file is written, so a failure leaves no file behind."""
        if renderer is not None or formatter is not None or neato_no_op is not None:
            return super().render(filename, directory, view, cleanup, format, renderer, formatter, neato_no_op,
                                  quiet, quiet_view, outfile=outfile, engine=engine,
                                  raise_if_result_exists=raise_if_result_exists, overwrite_source=overwrite_source)
        self._check_engine(engine, "render")
        folder = pathlib.Path(self.directory if directory is None else directory)
        if outfile is not None:
            outfile = pathlib.Path(outfile)
            if format is None:
                format = outfile.suffix[1:].lower()
                if not format:
                    raise ValueError(f"Drawing.render: cannot tell the format of outfile {str(outfile)!r}; give it "
                                     "a suffix (.svg, .png) or pass format=")
            if directory is None:
                outfile = pathlib.Path(self.directory, outfile)
            source_path = folder / filename if filename is not None else outfile.with_suffix(".gv")
        else:
            format = format or self.format
            source_path = folder / (self.filename if filename is None else filename)
            outfile = pathlib.Path(f"{source_path}.{format}")
        if outfile.resolve() == source_path.resolve():
            raise ValueError(f"Drawing.render: outfile {str(outfile)!r} is the DOT source file itself; pick "
                             "another name")
        if raise_if_result_exists and outfile.exists():
            raise FileExistsError(f"Drawing.render: {str(outfile)!r} exists (raise_if_result_exists=True)")
        data = render(self.source, format)
        outfile.parent.mkdir(parents=True, exist_ok=True)
        write_file(outfile, data, "Drawing.render")
        if not cleanup:
            try:
                write_file(source_path, self.source, "Drawing.render")
            except OSError:
                outfile.unlink()
                raise
        if view or quiet_view:
            open_file(outfile)
        return str(outfile)

    def _check_engine(self, engine, who):
        if (engine or self.engine) != "dot":
            raise RenderError(f"Drawing.{who}: only the dot layout is supported, got engine={engine or self.engine!r}")

    def _repr_svg_(self):
        return self.pipe(format="svg", encoding="utf-8")

    def to_svg(self, path=None, *, backend=None):
        """The SVG as a string; also written to ``path`` if given (as ``tg.to_svg``)."""
        svg = render(self.source, "svg", backend=backend).decode("utf-8")
        if path is not None:
            write_file(path, svg, "to_svg")
        return svg

    def to_png(self, path=None, *, dpi=144, backend=None):
        """The PNG as bytes, at ``dpi``; also written to ``path`` if given (as ``tg.to_png``)."""
        png = render(self.source, "png", backend=backend, dpi=dpi)
        if path is not None:
            write_file(path, png, "to_png")
        return png
