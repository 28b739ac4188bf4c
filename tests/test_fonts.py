"""The bundled CJK font (teach/fonts/): a subset of Noto Sans SC under the OFL, with its licence,
that has every Chinese character the project writes, and that matplotlib uses with no system font."""
import os
import pathlib
import subprocess
import sys

from fontTools.ttLib import TTFont

from tinygrad_cn.teach import bundled_font

ROOT = pathlib.Path(__file__).resolve().parents[1]


def _cjk(text):
    return {c for c in text if 0x3400 <= ord(c) <= 0x9FFF}


def test_the_font_and_its_licence_ship_together():
    assert bundled_font.PATH.is_file() and bundled_font.LICENCE.is_file()
    assert 1_000_000 < bundled_font.PATH.stat().st_size < 3_000_000
    licence = bundled_font.LICENCE.read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence and "Reserved Font Name 'Source'" in licence
    font = TTFont(bundled_font.PATH)
    assert font["name"].getDebugName(1) == bundled_font.FAMILY == "Noto Sans SC"


def test_the_font_has_every_chinese_character_the_project_writes():
    cmap = TTFont(bundled_font.PATH).getBestCmap()
    gb2312 = set()
    for row in range(0xB0, 0xF8):
        for col in range(0xA1, 0xFF):
            try:
                gb2312.add(bytes((row, col)).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    assert len(gb2312) == 6763 and not {c for c in gb2312 if ord(c) not in cmap}
    used = set()
    for pattern in ("tutorials/*.py", "tinygrad_cn/**/*.py"):          # what may end up in a figure
        for path in ROOT.glob(pattern):
            used |= _cjk(path.read_text(encoding="utf-8"))
    missing = sorted(c for c in used if ord(c) not in cmap)
    assert not missing, f"add {''.join(missing)} to teach/fonts/cjk_chars.txt and cut the subset again"
    assert all(ord(c) in cmap for c in "∂σΣ×÷−≈→αβγ，。：（）ᵀ⁽¹⁾₀ⱼ")      # ᵀ: the "x Wᵀ" of a layer


def test_matplotlib_uses_the_bundled_font():
    code = "from tinygrad_cn import plotting as p; f = p.cjk_font(); print(f.source, f.name, f.path)"
    env = {k: v for k, v in os.environ.items() if k != "TINYGRAD_CN_FONT"}
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env,
                       encoding="utf-8")
    assert r.stdout.split() == ["bundled", "Noto", "Sans", "SC", str(bundled_font.PATH)], r.stderr
