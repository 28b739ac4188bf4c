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
