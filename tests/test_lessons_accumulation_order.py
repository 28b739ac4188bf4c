"""Tutorials 13 (accumulation, zero_grad, detach, no_grad) and 14 (dynamic graphs, topological
order): they teach by prediction, and no prediction's answer is given away in the prose before it."""
import io
import re
from pathlib import Path

import pytest

from tinygrad_cn.teach import stepper
from tinygrad_cn.teach.stepper import predict

ROOT = Path(__file__).resolve().parents[1]
LESSONS = ["13_accumulation_and_detach.py", "14_dynamic_graphs_and_order.py"]


def _run(name, tmp_path, capsys, monkeypatch):
    """Run the lesson headless; (the stepper, what it showed)."""
    monkeypatch.setenv("MPLBACKEND", "Agg")
    shown = io.StringIO()
    s = stepper.Stepper(ROOT / "tutorials" / name, out=tmp_path, output=shown, color=False)
    assert s.run() == 0, shown.getvalue()[-3000:]
    capsys.readouterr()
    return s, shown.getvalue()


@pytest.mark.parametrize("name", LESSONS)
def test_short_cells_and_predictions_whose_answers_are_not_in_the_prose_before(name, tmp_path, capsys,
                                                                               monkeypatch):
    s, shown = _run(name, tmp_path, capsys, monkeypatch)
    lines = (ROOT / "tutorials" / name).read_text(encoding="utf-8").count("\n")
    assert lines <= 250 and all(c.source.count("\n") < 40 for c in s.cells)
    asked = [c for c in s.cells if c.kind == "predict"]
    answers = re.findall(r"^答案 answer: (.+)$", shown, re.M)
    assert len(asked) >= 2 and len(answers) == len(asked)
    for cell, answer in zip(asked, answers):
        assert predict.question(cell.source)
        prose = "\n".join(c.source for c in s.cells[:cell.number - 1] if c.kind == "markdown")
        pattern = re.escape(answer) if not answer[0].isdigit() else rf"(?<![\d.]){re.escape(answer)}(?![\d.])"
        assert not re.search(pattern, prose), (cell.number, answer)


def test_the_answers_are_what_the_lessons_say(tmp_path, capsys, monkeypatch):
    s13, _ = _run(LESSONS[0], tmp_path, capsys, monkeypatch)
    assert s13.namespace["row_x"].total == 6.0                              # x·x at x = 3: 3 + 3
    assert s13.namespace["piled"] == [4.0, 8.0, 12.0]                       # .grad adds up without zero_grad
    s14, _ = _run(LESSONS[1], tmp_path, capsys, monkeypatch)
    assert (s14.namespace["right"], s14.namespace["wrong"]) == (8.0, 2.0)   # topological vs breadth-first
