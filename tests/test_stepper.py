"""The tutorial stepper (``python -m tinygrad_cn.tutorial``) and the plotting helpers."""
import importlib.util
import io
import os
import re
import shlex
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from tinygrad_cn import plotting
from tinygrad_cn.teach import stepper
from tinygrad_cn.teach.stepper import catalog, console
from tinygrad_cn.teach.text import display_width, pad, table_row

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


# -- Markdown in a terminal (teach.markdown)

def test_render_markdown_lays_out_tables_in_display_columns():
    table = "| 方法 | 值 |\n|---|---:|\n| 反向 | 0.25 |\n| forward | 1 |"
    assert stepper.render_markdown(table).splitlines() == [
        " 方法    │   值",            # 方法 takes 4 of the 7 columns; the second column is right-aligned
        "─────────┼─────",
        " 反向    │ 0.25",
        " forward │    1",
    ]
    colored = stepper.render_markdown(table, color=True).splitlines()
    assert [display_width(line) for line in colored] == [15] * 4       # colour codes take no column


def test_render_markdown_keeps_stars_that_are_not_emphasis():
    line = "不动点：b* = −a*μ，a* = s*/σ，s* ≈ 1.7488"                  # tutorial 09's notation
    assert stepper.render_markdown(line) == line
    assert stepper.render_markdown(line, color=True) == line


def test_display_width_and_pad():
    assert display_width("η̂") == 1                              # η + a combining circumflex
    assert display_width("\033[1m梯度\033[0m") == 4
    assert pad("方法", 6) == "方法  " and pad("方法", 6, "right") == "  方法"
    assert pad("ab", 5, "center") == " ab  " and pad("toolong", 3) == "toolong"
    assert table_row(("η̂", 1), (3, 2)) == "  η̂  1"
    with pytest.raises(ValueError, match="pad: align"):
        pad("x", 3, "middle")


# -- the interpreter in hints (teach.console)

def _typed(command, cwd, path_env):
    """The file a shell would run for the first word of ``command``, typed in ``cwd``."""
    first = shlex.split(command)[0]
    if os.sep in first:
        return os.path.abspath(os.path.join(cwd, first))
    return os.path.abspath(shutil.which(first, path=path_env))


def test_interpreter_is_named_as_it_can_be_typed_again(tmp_path, monkeypatch):
    exe = tmp_path / "env" / "bin" / "python"
    exe.parent.mkdir(parents=True)
    exe.write_text("")
    exe.chmod(0o755)
    monkeypatch.setattr(sys, "executable", str(exe))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PATH", str(tmp_path / "elsewhere"))
    assert console.interpreter() == os.path.join("env", "bin", "python")
    monkeypatch.setenv("PATH", str(exe.parent))                   # an activated venv
    assert console.interpreter() == "python"
    monkeypatch.chdir(tmp_path / "env")
    monkeypatch.setenv("PATH", "")
    assert console.command("-m", "m", "a b") == f"{os.path.join('bin', 'python')} -m m 'a b'"


def test_resume_hint_names_the_running_interpreter(tmp_path):
    path = write(tmp_path, "01_basic.py", BASIC)
    rc, out = step(tmp_path, path, "--interactive", input="\nq\n")
    assert rc == 0, out
    (hint,) = [line.split("to go on: ")[1] for line in out.splitlines() if "to go on: " in line]
    assert hint.endswith("-m tinygrad_cn.tutorial 01_basic.py --from 3")
    assert _typed(hint, tmp_path, os.environ.get("PATH")) == os.path.abspath(sys.executable)


def test_prompt_answers_are_a_table_to_extend(tmp_path, capsys):
    path = write(tmp_path, "01_basic.py", BASIC)
    s = stepper.Stepper(path, out=tmp_path / "o", interactive=True, input=io.StringIO("n\n\nq\n"),
                        output=io.StringIO(), color=False)
    seen = []
    s.answers["n"] = lambda cell, answer: seen.append((cell.number, answer))
    assert s.run() == 0
    assert seen == [(2, "n")]                                    # the new key ran its handler, then cell 2
    assert "x is 3\ny is 6\n" == capsys.readouterr().out


# -- progress on a long, quiet cell (teach.progress)

SLOW = '''\
# %%
import time
time.sleep(1.5)
print("slept")
'''


def test_a_long_quiet_cell_logs_that_it_is_still_running(tmp_path, capsys):
    status = io.StringIO()
    s = stepper.Stepper(write(tmp_path, "01_slow.py", SLOW), out=tmp_path / "o", output=io.StringIO(),
                        status=status, color=False)
    s.progress = {"after": 0.1, "every": 0.4}
    assert s.run() == 0
    lines = status.getvalue().splitlines()
    assert lines and all(re.fullmatch(r"第 1 格仍在运行 cell 1 still running… \d+ s", line) for line in lines)
    assert capsys.readouterr().out == "slept\n"


def test_the_spinner_is_wiped_before_the_cell_prints(tmp_path, monkeypatch):
    screen = io.StringIO()                                        # stdout and the status on one screen
    monkeypatch.setattr(sys, "stdout", screen)
    s = stepper.Stepper(write(tmp_path, "01_slow.py", SLOW), out=tmp_path / "o", output=io.StringIO(),
                        status=screen, color=False)
    s.progress = {"after": 0.1, "every": 0.4, "live": True}     # as on a terminal
    assert s.run() == 0
    text = screen.getvalue()
    assert "\r| 第 1 格运行中 cell 1 running… " in text
    assert text.endswith("\r\033[Kslept\n")                      # the line cleared, then the output


# -- entry points on a console that cannot encode Chinese (teach.console.safe_output)

@pytest.mark.parametrize("encoding", ["cp1252", "gbk"])
def test_entry_points_survive_a_non_utf8_stdout(tmp_path, encoding):
    path = write(tmp_path, "01_basic.py", BASIC)
    env = dict(os.environ, PYTHONIOENCODING=encoding, NO_COLOR="1", MPLBACKEND="Agg",
               PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    for args in (["tinygrad_cn"], ["tinygrad_cn.tutorial", str(path), "--all"],
                 ["tinygrad_cn.tutorial", "--list"]):
        r = subprocess.run([sys.executable, "-m", *args], cwd=tmp_path, capture_output=True, env=env,
                           timeout=120)
        out, err = r.stdout.decode(encoding), r.stderr.decode(encoding)
        assert r.returncode == 0 and "Error" not in err, (args, err)
        if args[-1] == "--all":
            assert "x is 3" in out and "z is 7" in out
        if args[-1] == "--list":
            assert "01  sigmoid_wx_b" in out
            assert ("的计算图" in out) == (encoding == "gbk")       # GBK shows the Chinese titles


# -- naming a tutorial (teach.catalog)

TUTORIALS = sorted((ROOT / "tutorials").glob("[0-9][0-9]_*.py"))


def test_a_tutorial_is_found_by_number_name_or_path_from_any_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)                                  # not the checkout
    first = ROOT / "tutorials" / "01_sigmoid_wx_b.py"
    for spec in ("1", "01", "sigmoid_wx_b", "01_sigmoid_wx_b", "01_sigmoid_wx_b.py",
                 "tutorials/01_sigmoid_wx_b.py", "sigmoid"):
        assert catalog.find(spec) == first, spec
    own = write(tmp_path, "mine.py", BASIC)
    assert catalog.find("mine.py") == own                        # an existing file wins
    assert [t.path for t in catalog.tutorials()] == TUTORIALS


def test_an_unknown_tutorial_is_a_clear_error_that_lists_them(tmp_path):
    with pytest.raises(catalog.TutorialNotFound) as e:
        catalog.find("99")
    assert "no tutorial '99'" in str(e.value)
    assert all(f"{p.name[:2]}  {p.stem[3:]}" in str(e.value) for p in TUTORIALS)
    rc, out = step(tmp_path, "no_such_tutorial")
    assert rc == 2 and "no tutorial 'no_such_tutorial'" in out and "01  sigmoid_wx_b" in out
    assert list(tmp_path.iterdir()) == []                        # nothing left behind


def test_list_shows_number_name_and_title(tmp_path):
    rc, out = step(tmp_path, "--list")
    assert rc == 0, out
    lines = out.strip().splitlines()
    assert len(lines) == len(TUTORIALS)
    assert re.fullmatch(r"01  sigmoid_wx_b +σ\(wx \+ b\) 的计算图.*", lines[0])
    assert [line[:2] for line in lines] == [p.name[:2] for p in TUTORIALS]
    rc, bare = step(tmp_path)                                    # no tutorial named: the list, and how
    assert rc == 0 and bare.startswith(out) and "-m tinygrad_cn.tutorial 01" in bare
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
def test_markdown_is_coloured_on_a_terminal_only(tmp_path, monkeypatch):
    leader, follower = os.openpty()
    with open(follower, "w", encoding="utf-8", closefd=True) as tty, open(tmp_path / "f", "w") as file:
        monkeypatch.delenv("NO_COLOR", raising=False)
        monkeypatch.setenv("TERM", "xterm")
        assert console.wants_color(tty) and not console.wants_color(file)
        s = stepper.Stepper(write(tmp_path, "01_basic.py", BASIC), output=tty)
        assert s.style.color
        monkeypatch.setenv("NO_COLOR", "1")
        assert not console.wants_color(tty)
    os.close(leader)


def test_progress_wipes_its_line_for_writelines_too_and_restores_the_streams(monkeypatch):
    import time

    from tinygrad_cn.teach.stepper.progress import Progress
    screen = io.StringIO()
    monkeypatch.setattr(sys, "stdout", screen)
    with Progress(7, status=screen, live=True, after=0.05):
        time.sleep(1.2)
        sys.stdout.writelines(["a\n", "b\n"])
    assert sys.stdout is screen
    text = screen.getvalue()
    assert "cell 7 running…" in text and text.endswith("\r\033[Ka\nb\n")


# -- predict, then run (teach.predict)

PREDICT = '''\
# %% [markdown]
# # 先想一想

# %% [predict] tol=0.01
# f = σ(2w) 在 w = 0 处，∂f/∂w 是多少？
import tinygrad_cn as tg
w = tg.Tensor(0.0, requires_grad=True)
tg.sigmoid(w * 2.0).backward()
answer = w.grad.item()

# %% [predict] choices=变大|不变|变小 answer=what
# 再调用一次 backward()，w.grad 会怎样？
what = "变大"
print("ran cell 3")
'''


def test_predict_cells_are_parsed_with_their_options():
    cells = stepper.parse(PREDICT)
    assert [c.kind for c in cells] == ["markdown", "predict", "predict"]
    assert cells[1].options == {"tol": "0.01"} and cells[1].title == ""
    assert cells[2].options == {"choices": "变大|不变|变小", "answer": "what"}
    assert stepper.parse("# %% tol=3\nx = 1\n")[0].options == {}       # only predict cells take options


def test_a_prediction_is_judged_close_near_or_far_with_the_true_value():
    from tinygrad_cn.teach.stepper import predict
    p = predict.spec({"tol": "0.01"})
    assert predict.judge(0.505, 0.5, p)[0] == "close"                  # σ'(0)·2 = 0.5, within 0.01
    assert predict.judge(0.45, 0.5, p) == ("near", "≈ 差一点：你的预测 0.45，真值 0.5（差 0.05）。")
    verdict, line = predict.judge(-0.5, 0.5, p)
    assert verdict == "far" and "再想想" in line and "真值 0.5" in line and "符号反了" in line
    assert predict.judge(2.0, 0.5, p)[0] == "far"
    assert [predict.parse_guess(t, p) for t in ("1/4", "−0.25", "1e-3", "abc")] == [0.25, -0.25, 1e-3, None]
    c = predict.spec({"choices": "变大|不变"})
    assert predict.parse_guess("2", c) == "不变" and predict.parse_guess("变大", c) == "变大"
    assert predict.judge("不变", "变大", c)[0] == "far"
    with pytest.raises(ValueError, match="unknown option"):
        predict.spec({"tolerance": "1"})


def test_interactive_prediction_says_how_close_then_runs(tmp_path):
    path = write(tmp_path, "01_predict.py", PREDICT)
    rc, out = step(tmp_path, path, "--interactive", input="0.45\n不知道\n1\n")
    assert rc == 0, out
    assert "f = σ(2w) 在 w = 0 处" in out
    assert "差一点：你的预测 0.45，真值 0.5" in out
    assert "没看懂「不知道」" in out                                   # asked again
    assert "✓ 对了！答案就是「变大」" in out and "ran cell 3" in out
    assert out.index("你的预测 your prediction") < out.index("answer = w.grad.item()")  # asked before the code


def test_enter_skips_the_prediction_and_headless_runs_just_print_the_answer(tmp_path):
    path = write(tmp_path, "01_predict.py", PREDICT)
    rc, out = step(tmp_path, path, "--interactive", input="\n\n")
    assert rc == 0 and "答案 answer: 0.5" in out and "答案 answer: 变大" in out, out
    rc, out = step(tmp_path, path, "--all")
    assert rc == 0 and "你的预测" not in out and "答案 answer: 0.5" in out, out


def test_a_predict_cell_that_sets_no_answer_fails_naming_it(tmp_path):
    path = write(tmp_path, "01_bad.py", "# %% [predict] choices=a|b\n# which?\nanswer = 'c'\n")
    rc, out = step(tmp_path, path, "--all")
    assert rc == 1 and "answer = 'c' is not one of the choices" in out and "cell 1" in out


def test_listed_titles_drop_the_tutorial_number_and_mark_case_studies(tmp_path):
    (tmp_path / "06_case.py").write_text("# %% [markdown]\n# # 教程 06（案例）：镜像对称\n", encoding="utf-8")
    (tmp_path / "01_lesson.py").write_text("# %% [markdown]\n# # 教程 01：σ(wx + b)\n", encoding="utf-8")
    assert catalog.Tutorial("06", "case", tmp_path / "06_case.py").title == "案例：镜像对称"
    assert catalog.Tutorial("01", "lesson", tmp_path / "01_lesson.py").title == "σ(wx + b)"
