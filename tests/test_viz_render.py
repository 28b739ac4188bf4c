"""Rendering with no system package: ``render()``, ``view()`` and ``pipe()`` of a drawing behave as
graphviz users expect through the bundled engine, PNGs draw Chinese with the bundled font, and a
file that cannot be written gives a clear error and leaves nothing behind. Needs an engine
(graphviz-pure from PyPI is a dependency) and fails without one."""
import importlib
import os

import pytest
from viz_reading import textbook

from tinygrad_cn import viz
from tinygrad_cn.teach.viz import engines


def test_png_draws_chinese_glyphs_not_boxes():
    # missing glyphs are all drawn as the same box: two different characters would then give the
    # same picture; with the bundled font 梯 and 度 differ
    g = textbook()
    one = viz.to_png(viz.draw(g["h6"], title="梯梯", values=False), dpi=72)
    two = viz.to_png(viz.draw(g["h6"], title="梯度", values=False), dpi=72)
    assert one.startswith(b"\x89PNG")
    assert one != two                        # the encoder is deterministic: equal pictures, equal bytes


def test_render_writes_source_and_output_like_graphviz(tmp_path):
    drawing = viz.draw(textbook()["h6"])
    out = drawing.render(directory=tmp_path)
    assert out == str(tmp_path / "computation_graph.gv.svg")
    assert sorted(os.listdir(tmp_path)) == ["computation_graph.gv", "computation_graph.gv.svg"]
    assert (tmp_path / "computation_graph.gv").read_text(encoding="utf-8") == drawing.source
    assert "h6 = 0.5" in (tmp_path / "computation_graph.gv.svg").read_text(encoding="utf-8")
    png = drawing.render(outfile=tmp_path / "g.png", cleanup=True)
    assert png == str(tmp_path / "g.png") and (tmp_path / "g.png").read_bytes().startswith(b"\x89PNG")
    assert not (tmp_path / "g.gv").exists()                         # cleanup: the rendered file only
    drawing.render("mine", directory=tmp_path / "sub", format="png")
    assert sorted(os.listdir(tmp_path / "sub")) == ["mine", "mine.png"]
    assert drawing.pipe(format="svg", encoding="utf-8").startswith("<?xml")
    with pytest.raises(FileExistsError):
        drawing.render(outfile=tmp_path / "g.png", raise_if_result_exists=True)


def test_view_opens_the_file_or_says_where_it_is(tmp_path, monkeypatch, capsys):
    opened = []
    monkeypatch.setattr(engines, "open_file", lambda path: opened.append(str(path)))
    monkeypatch.setattr("tinygrad_cn.teach.viz.drawing.open_file", lambda path: opened.append(str(path)))
    drawing = viz.draw(textbook()["h6"])
    path = drawing.view(directory=tmp_path)
    assert opened == [path] and os.path.isfile(path)
    monkeypatch.undo()
    monkeypatch.setattr(engines.sys, "platform", "linux")
    monkeypatch.setattr(engines.shutil, "which", lambda name: None)           # no xdg-open here
    engines.open_file(path)
    assert path in capsys.readouterr().out


def test_failures_leave_nothing_behind(tmp_path, monkeypatch):
    drawing = viz.draw(textbook()["h6"])
    missing = tmp_path / "no such folder" / "g.png"
    with pytest.raises(FileNotFoundError, match="to_png: cannot write .*no such folder"):
        viz.to_png(drawing, missing)
    with pytest.raises(OSError, match="to_svg: cannot write"):         # IsADirectoryError on POSIX
        viz.to_svg(drawing, tmp_path)
    assert os.listdir(tmp_path) == []                               # no temporary file either
    monkeypatch.setattr(engines, "find_engine", lambda name: (None, f"{name} missing"))
    with pytest.raises(viz.EngineNotFoundError):
        drawing.render(directory=tmp_path)
    with pytest.raises(viz.EngineNotFoundError):
        drawing.view(directory=tmp_path)
    assert os.listdir(tmp_path) == []                               # no stray DOT file
    with pytest.raises(TypeError, match="draw: expected a Tensor"):
        viz.draw([1.0, 2.0])


def test_frames_that_cannot_be_written_leave_nothing(tmp_path, monkeypatch):
    g = textbook()
    target = tmp_path / "frames"
    calls = []

    def failing(path, data, who):
        if calls:
            raise PermissionError(13, f"{who}: cannot write {str(path)!r} (Permission denied)")
        calls.append(path)
        return engines.write_file(path, data, who)

    # the module, not the function of the same name that the package exports
    monkeypatch.setattr(importlib.import_module("tinygrad_cn.teach.viz.frames"), "write_file", failing)
    with pytest.raises(PermissionError, match="frames: cannot write"):
        viz.frames(g["h6"], target)
    assert not target.exists()                      # the first frame went again, and the folder
    (tmp_path / "file").write_text("x")
    with pytest.raises(OSError, match="frames: cannot make the folder"):
        viz.frames(g["h6"], tmp_path / "file" / "sub")


@pytest.mark.skipif(os.name == "nt", reason="POSIX permission bits")
def test_written_files_have_the_usual_permissions(tmp_path):
    mask = os.umask(0o022)
    try:
        viz.to_svg(textbook()["h6"], tmp_path / "g.svg")
    finally:
        os.umask(mask)
    assert (tmp_path / "g.svg").stat().st_mode & 0o777 == 0o644      # not a private temporary file's 0600
