"""The wheel: what it carries (package, tutorials, fonts, py.typed, licence), its metadata, and
that an installed copy lists and runs the tutorials from any folder (tutorial 04, one of the
quickest, stands for all; tests/test_tutorials.py runs every one from the checkout).

The wheel is built once, from a copy of the checkout (the build writes build/ and *.egg-info where
it runs), with the setuptools the test extra installs, and unpacked as pip would install it."""
import email
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]
_JUNK = shutil.ignore_patterns("*.egg-info")


def _files(folder):
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")
                  if p.is_file() and "__pycache__" not in p.parts)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    import setuptools
    if Version(setuptools.__version__) < Version("77.0.3"):
        pytest.skip(f"setuptools {setuptools.__version__} cannot read an SPDX license; "
                    "pip install -e '.[test]' brings one that can")
    src = tmp_path_factory.mktemp("src")
    for name in ("pyproject.toml", "setup.py", "README.md", "LICENSE"):
        shutil.copy(ROOT / name, src / name)
    for name in ("tinygrad_cn", "tutorials"):
        shutil.copytree(ROOT / name, src / name, ignore=_JUNK)
    fonts = src / "tinygrad_cn" / "teach" / "fonts"             # the package-data rule, whether or not
    fonts.mkdir(exist_ok=True)                                  # a font is bundled yet
    (src / "tinygrad_cn" / "_probe_pkg").mkdir()                # a new subpackage ships with no list edited
    (src / "tinygrad_cn" / "_probe_pkg" / "__init__.py").write_text("")
    (src / "tinygrad_cn" / "__pycache__").mkdir(exist_ok=True)  # what a run leaves must not ship
    (src / "tinygrad_cn" / "__pycache__" / "_probe.cpython-311.pyc").write_bytes(b"")
    for probe in ("_probe.ttf", "_probe.otf"):
        (fonts / probe).write_bytes(b"not a font")
    dist = tmp_path_factory.mktemp("dist")
    code = "import sys; from setuptools import build_meta as b; print(b.build_wheel(sys.argv[1]))"
    r = subprocess.run([sys.executable, "-c", code, str(dist)], cwd=src, capture_output=True, text=True,
                       timeout=300)
    assert r.returncode == 0, r.stderr[-3000:]
    path = dist / r.stdout.strip().splitlines()[-1]
    with zipfile.ZipFile(path) as z:
        names = set(z.namelist())
        (meta_name,) = [n for n in names if n.endswith(".dist-info/METADATA")]
        meta = email.message_from_bytes(z.read(meta_name))
        site = tmp_path_factory.mktemp("site")
        z.extractall(site)
    return {"names": names, "meta": meta, "site": site, "src": src}


def test_the_wheel_carries_the_package_the_tutorials_and_the_fonts(wheel):
    names = wheel["names"]
    package = [f"tinygrad_cn/{f}" for f in _files(ROOT / "tinygrad_cn") if f.endswith(".py")]
    assert package and set(package) <= names, sorted(set(package) - names)   # no subpackage forgotten
    tutorials = [f"tinygrad_cn/tutorials/{f}" for f in _files(ROOT / "tutorials")]
    assert len(tutorials) >= 11 and set(tutorials) <= names, sorted(set(tutorials) - names)
    assert "tinygrad_cn/py.typed" in names and "tinygrad_cn/_probe_pkg/__init__.py" in names
    fonts = [f"tinygrad_cn/teach/fonts/{f}" for f in _files(wheel["src"] / "tinygrad_cn" / "teach" / "fonts")]
    assert "tinygrad_cn/teach/fonts/_probe.otf" in fonts and set(fonts) <= names
    for licence in ("LICENSE", "tinygrad_cn/teach/fonts/OFL.txt"):
        assert any(n.endswith(f".dist-info/licenses/{licence}") for n in names), licence
    assert not any(n.startswith(("tests/", "tutorials/", "benchmarks/", "docs/")) for n in names)
    assert not any("__pycache__" in n or n.endswith(".pyc") for n in names)


def test_metadata_license_and_graphviz_pure_on_every_platform_with_wheels(wheel):
    meta = wheel["meta"]
    assert meta["License-Expression"] == "MIT AND OFL-1.1"                  # the code; the bundled font
    assert not any(c.startswith("License ::") for c in meta.get_all("Classifier"))   # PEP 639
    assert meta["Author"] and meta["Keywords"]
    (req,) = [Requirement(r) for r in meta.get_all("Requires-Dist") if r.startswith("graphviz-pure")]
    assert req.specifier.contains("0.2.2") and not req.specifier.contains("0.3.0")
    # graphviz-pure 0.2.2 ships wheels only, for these (sys_platform, platform_machine) pairs
    with_wheels = [("linux", "x86_64"), ("linux", "aarch64"), ("win32", "AMD64"), ("win32", "ARM64"),
                   ("darwin", "x86_64"), ("darwin", "arm64")]
    without = [("linux", "armv7l"), ("linux", "ppc64le"), ("win32", "x86")]
    marker = Marker(str(req.marker))
    for sys_platform, machine in with_wheels + without:
        env = {"sys_platform": sys_platform, "platform_machine": machine}
        assert marker.evaluate(env) == ((sys_platform, machine) in with_wheels), env


def _installed(wheel, cwd, *args):
    env = dict(os.environ, PYTHONPATH=str(wheel["site"]), TINYGRAD_CN_QUICK="1", MPLBACKEND="Agg",
               NO_COLOR="1", PYTHONIOENCODING="utf-8")
    env.pop("TINYGRAD_CN_OUT", None)
    r = subprocess.run([sys.executable, *args], cwd=cwd, env=env, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True, encoding="utf-8", timeout=300)
    return r.returncode, r.stdout


def test_an_installed_wheel_lists_and_runs_the_tutorials_from_any_folder(wheel, tmp_path):
    rc, out = _installed(wheel, tmp_path, "-c", "import tinygrad_cn; print(tinygrad_cn.__file__)")
    assert rc == 0 and out.strip().startswith(str(wheel["site"])), out     # the unpacked wheel, not the checkout
    rc, out = _installed(wheel, tmp_path, "-m", "tinygrad_cn.tutorial", "--list")
    assert rc == 0, out
    assert [line.split()[1] for line in out.strip().splitlines()] == [
        p.stem[3:] for p in sorted((ROOT / "tutorials").glob("[0-9][0-9]_*.py"))]
    rc, out = _installed(wheel, tmp_path, "-m", "tinygrad_cn.tutorial", "backprop_by_hand", "--all", "--out", "figs")
    assert rc == 0, out[-3000:]
    assert "✓ 完成 done" in out and any((tmp_path / "figs").iterdir())
    rc, out = _installed(wheel, tmp_path, "-m", "tinygrad_cn.tutorial", "99")
    assert rc == 2 and "no tutorial '99'" in out and "01  sigmoid_wx_b" in out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["figs"]
    assert not (wheel["site"] / "tinygrad_cn" / "tutorials" / "out").exists()
