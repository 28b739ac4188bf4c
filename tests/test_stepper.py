"""The tutorial stepper (``python -m tinygrad_cn.tutorial``) and the plotting helpers."""
import importlib.util
import io
import os
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from tinygrad_cn import plotting
from tinygrad_cn.teach import stepper
from tinygrad_cn.teach.text import table_row

ROOT = Path(__file__).resolve().parents[1]
HAS_MPL = importlib.util.find_spec("matplotlib") is not None
needs_mpl = pytest.mark.skipif(not HAS_MPL, reason="matplotlib (the 'plot' extra) is not installed")

BASIC = '''\
# %% [markdown]
# # 第一课 Lesson one
#
# 文字格 **text cell**: 导数 derivative.

# %%
x = 3
print("x is", x)

# %% 第二格
y = x * 2          # uses x from the cell above
print("y is", y)

# %%
print("z is", y + 1)
'''

FIGURE = '''\
# %% [markdown]
# A figure.

# %%
from tinygrad_cn import plotting
plt = plotting.pyplot()
fig, ax = plt.subplots()
ax.plot([0, 1], [0, 1])
print("plotted")

# %%
fig2, ax2 = plt.subplots()
path = plotting.show(fig2, "named")
print("returned", path.name)
'''

FAILING = '''\
# %%
a = 2

# %%
print("before the assert")
assert a == 5, "a should be 5"

# %%
print("after the assert")
'''


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def step(tmp_path, *args, input=""):
    env = dict(os.environ, MPLBACKEND="Agg", PYTHONIOENCODING="utf-8", NO_COLOR="1",
               PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    env.pop("TINYGRAD_CN_OUT", None)
    r = subprocess.run([sys.executable, "-m", "tinygrad_cn.tutorial", *map(str, args)],
                       cwd=tmp_path, input=input, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True, encoding="utf-8", env=env, timeout=120)
    return r.returncode, r.stdout


def test_all_shows_text_runs_cells_in_one_namespace(tmp_path):
    rc, out = step(tmp_path, write(tmp_path, "01_basic.py", BASIC), "--all")
    assert rc == 0, out
    assert "第一课 Lesson one" in out and "# 第一课" not in out          # heading without '# '
    assert "文字格 **text cell**: 导数 derivative." in out
    assert "x is 3" in out and "y is 6" in out and "z is 7" in out
    assert out.index("x is 3") < out.index("y is 6") < out.index("z is 7")
    assert "第二格" in out                                              # the cell's title
    assert "y = x * 2" in out                                          # the code is shown


def test_without_a_tty_stdin_it_runs_everything(tmp_path):
    rc, out = step(tmp_path, write(tmp_path, "01_basic.py", BASIC))     # stdin is a pipe
    assert rc == 0, out
    assert "z is 7" in out and "Enter" not in out


@needs_mpl
def test_figures_are_saved_and_named(tmp_path):
    rc, out = step(tmp_path, write(tmp_path, "02_fig.py", FIGURE), "--all", "--out", "figs")
    assert rc == 0, out
    assert "plotted" in out and "returned named.png" in out
    for name in ("fig_02.png", "named.png"):                # left open by cell 2; plotting.show
        path = tmp_path / "figs" / name
        assert f"图已保存 figure saved: {Path('figs', name)}" in out
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert not (tmp_path / "figs" / "fig_03.png").exists()   # show closed its figure


@needs_mpl
def test_default_out_dir_is_out_slash_tutorial_name(tmp_path):
    rc, out = step(tmp_path, write(tmp_path, "02_fig.py", FIGURE), "--all")
    assert rc == 0, out
    assert (tmp_path / "out" / "02_fig" / "fig_02.png").is_file()
    assert (tmp_path / "out" / "02_fig" / "named.png").is_file()


def test_failing_assert_exits_nonzero_and_names_the_cell(tmp_path):
    rc, out = step(tmp_path, write(tmp_path, "03_fail.py", FAILING), "--all")
    assert rc == 1, out
    assert "before the assert" in out and "after the assert" not in out
    assert "AssertionError: a should be 5" in out
    assert "cell 2" in out and "03_fail.py, line 5" in out
    assert 'line 6' in out                                   # the traceback points into the file


def test_interactive_enter_runs_and_q_quits(tmp_path):
    path = write(tmp_path, "01_basic.py", BASIC)
    rc, out = step(tmp_path, path, "--interactive", input="\n\nq\n")
    assert rc == 0, out
    assert "x is 3" in out and "y is 6" in out
    assert "z is 7" not in out
    assert "--from 4" in out                                 # tells how to go on


def test_interactive_end_of_input_quits(tmp_path):
    rc, out = step(tmp_path, write(tmp_path, "01_basic.py", BASIC), "--interactive", input="\n")
    assert rc == 0 and "x is 3" in out and "y is 6" not in out


def test_from_n_runs_earlier_cells_silently(tmp_path):
    rc, out = step(tmp_path, write(tmp_path, "01_basic.py", BASIC), "--all", "--from", "4")
    assert rc == 0, out
    assert "z is 7" in out and "x is 3" not in out and "y is 6" not in out


def test_run_function_drives_the_loop_with_a_given_stream(tmp_path, capsys):
    path = write(tmp_path, "01_basic.py", BASIC)
    shown = io.StringIO()
    rc = stepper.run(path, out=tmp_path / "o", interactive=True, input=io.StringIO("\na\n"),
                      output=shown, color=False)
    assert rc == 0
    assert "x is 3\ny is 6\nz is 7" in capsys.readouterr().out   # 'a' ran the rest
    assert shown.getvalue().count("Enter") == 2


def test_parse_cells_kinds_lines_and_header():
    text = ("# ---\n# jupyter:\n#   jupytext: {}\n# ---\n\n# %% [markdown]\n# # Title\n#\n# body\n\n"
            "# %% a title\nx = 1\n\n\n# %% tags=[\"x\"]\ny = 2\n#%% [md]\n# more\n")
    cells = stepper.parse(text)
    assert [(c.number, c.kind, c.line) for c in cells] == [
        (1, "markdown", 7), (2, "code", 12), (3, "code", 16), (4, "markdown", 18)]
    assert cells[0].source == "# Title\n\nbody"
    assert cells[1].title == "a title" and cells[2].title == ""
    assert stepper.parse("import os\n# %%\nx = 1\n")[0].source == "import os"


def test_render_markdown_is_plain_readable_text():
    text = stepper.render_markdown("# 梯度\n\n- one\n* two\n\n```python\nx = 1\n```\nsee [a](b)")
    assert text.splitlines()[:2] == ["梯度", "════"]
    assert "• one" in text and "• two" in text and "    x = 1" in text and "```" not in text
    assert "see a (b)" in text
    colored = stepper.render_markdown("## 导数\n**bold** `code`", color=True)
    assert "\033[1m" in colored and "**" not in colored and "`" not in colored


def test_importing_tinygrad_cn_does_not_import_matplotlib():
    code = ("import sys, tinygrad_cn, tinygrad_cn.teach.plotting, tinygrad_cn.tutorial;"
            "print('matplotlib' in sys.modules)")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert r.stdout.strip() == "False", r.stderr


def test_pyplot_without_matplotlib_raises_or_gives_none_when_optional():
    code = ("import sys; sys.modules['matplotlib'] = None\n"       # as if the 'plot' extra were missing
            "from tinygrad_cn import plotting as p\n"
            "print(p.pyplot(optional=True))\n"
            "try:\n    p.pyplot()\nexcept ImportError as e:\n    print('ImportError', e)")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                       env=dict(os.environ, PYTHONIOENCODING="utf-8"), encoding="utf-8")
    lines = r.stdout.strip().splitlines()
    assert "no figures" in lines[0] and "[plot]" in lines[0], r.stderr
    assert lines[1] == "None" and lines[2].startswith("ImportError") and "[plot]" in lines[2]


def test_table_row_aligns_chinese_by_terminal_columns():
    assert table_row(("方法", "ab"), (6, 3)) == "  方法  ab"        # 方法 takes 4 columns
    assert table_row((0.25, "误差项 δ"), (5, 10)) == " 0.25   误差项 δ"


def test_label_falls_back_to_english_without_a_font_and_says_so_once():
    code = ("from tinygrad_cn import plotting as p;"
            "print(p.label('梯度', 'gradient'), p.label('误差', 'error'), sep='|')")
    env = dict(os.environ, TINYGRAD_CN_FONT="none", PYTHONIOENCODING="utf-8")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                       env=env, encoding="utf-8")
    lines = r.stdout.strip().splitlines()
    assert lines[-1] == "gradient|error", r.stderr
    assert len(lines) == 2 and "labels in English" in lines[0] and "[plot]" in lines[0]


@needs_mpl
def test_chinese_labels_render_without_missing_glyphs(tmp_path):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    font = plotting.cjk_font()
    if font is None:
        assert importlib.util.find_spec("zhplot") is None, "zhplot is installed but its font was not used"
        pytest.skip("no CJK font installed (the 'plot' extra brings one)")
    words = "梯度 导数 误差 损失 激活函数 反向模式 前向模式 数值微分 截断误差 舍入误差"
    assert plotting.label(words, "english") == words
    assert plotting.label("梯度 \U0010FFFD", "fallback") == "fallback"   # a glyph no font has
    with warnings.catch_warnings():
        warnings.simplefilter("error")                   # "Glyph ... missing from font(s)" fails
        fig = Figure(figsize=(6, 2))
        FigureCanvasAgg(fig)
        ax = fig.add_subplot()
        ax.set_title(plotting.label(words, "english"))
        ax.set_xlabel(plotting.label("步长 Δx，∂L/∂w − σ(x)", "step"))
        ax.set_ylabel(plotting.label("f‴ ∛ε w₁ 误差", "error"))  # DejaVu Sans glyphs, not in the CJK font
        ax.plot([-1, 1], [-1, 1])                        # ticks with a Unicode minus
        fig.savefig(tmp_path / "zh.png")
    assert (tmp_path / "zh.png").read_bytes()[:4] == b"\x89PNG"


@needs_mpl
def test_show_saves_into_the_out_dir_and_returns_the_path(tmp_path, monkeypatch, capsys):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    monkeypatch.setenv("TINYGRAD_CN_OUT", str(tmp_path / "o"))
    fig = Figure()
    FigureCanvasAgg(fig)
    fig.add_subplot().plot([1, 2])
    path = plotting.show(fig, "curve")
    assert path == tmp_path / "o" / "curve.png" and path.is_file()
    assert "图已保存 figure saved: " in capsys.readouterr().out
