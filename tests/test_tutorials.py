"""Every tutorial (tutorials/NN_*.py) runs from top to bottom with the stepper, as CI runs it."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TUTORIALS = sorted((ROOT / "tutorials").glob("[0-9][0-9]_*.py"))


@pytest.mark.parametrize("path", TUTORIALS, ids=[p.name for p in TUTORIALS])
def test_tutorial_runs(path, tmp_path):
    # TINYGRAD_CN_QUICK=1: long experiments run a short version (their full numbers are in the text)
    env = dict(os.environ, MPLBACKEND="Agg", PYTHONIOENCODING="utf-8", NO_COLOR="1", TINYGRAD_CN_QUICK="1",
               PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    env.setdefault("OPENBLAS_NUM_THREADS", "1")   # on 2 shared cores threaded OpenBLAS thrashes
    env.pop("TINYGRAD_CN_OUT", None)
    r = subprocess.run([sys.executable, "-m", "tinygrad_cn.tutorial", str(path), "--all",
                        "--out", str(tmp_path / "out")],
                       cwd=tmp_path, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True, encoding="utf-8", env=env, timeout=600)
    assert r.returncode == 0, f"{path.name} failed:\n{r.stdout[-6000:]}"


def test_tutorials_share_one_setup():
    # quick mode, the output folder and finding the package live in tinygrad_cn.teach.lesson, not in each tutorial
    for path in TUTORIALS:
        text = path.read_text(encoding="utf-8")
        assert "sys.path.insert" not in text and "TINYGRAD_CN_QUICK\")" not in text, path.name
        assert "import tinygrad_cn as tg\n" in text, path.name


def test_lesson_reads_the_environment_when_imported(monkeypatch, tmp_path):
    monkeypatch.setenv("TINYGRAD_CN_QUICK", "1")
    monkeypatch.setenv("TINYGRAD_CN_OUT", str(tmp_path))
    from tinygrad_cn.teach.lesson import OUT, QUICK
    assert QUICK is True and OUT == tmp_path
    monkeypatch.delenv("TINYGRAD_CN_QUICK")
    monkeypatch.delenv("TINYGRAD_CN_OUT")
    from tinygrad_cn.teach.lesson import OUT, QUICK  # the same module, read again: no stale value
    assert QUICK is False and OUT == Path("out")


def test_lesson_show_code_prints_the_model_it_names(capsys):
    from tinygrad_cn.nn.energy import energy
    from tinygrad_cn.teach.lesson import show_code
    show_code(energy, lines=(1, 1))
    assert capsys.readouterr().out == "# tinygrad_cn.nn.energy.energy\ndef energy(s, W, b):\n"
    with pytest.raises(ValueError, match="show_code: lines"):
        show_code(energy, lines=(0, 99))
