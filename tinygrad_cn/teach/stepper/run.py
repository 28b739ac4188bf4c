"""Step through a tutorial in a terminal, cell by cell, as a notebook would run it.

    python -m tinygrad_cn.tutorial --list                         # the tutorials: number, name, title
    python -m tinygrad_cn.tutorial 01                             # Enter runs the next cell, q quits
    python -m tinygrad_cn.tutorial sigmoid_wx_b --all             # run everything (tests, CI)
    python -m tinygrad_cn.tutorial tutorials/01_xxx.py --from 7   # a file; start at cell 7
    python -m tinygrad_cn.tutorial 01 --out figs                  # save figures in figs/

A tutorial is a Python file in jupytext's percent format (``cells``). A ``# %% [predict]`` cell
asks for a prediction first (先想一想: type a number or a choice, or just Enter), runs, then says
how close it was (``predict``); without a terminal it just runs and prints the answer.

The stepper shows each text cell, then each code cell, and runs it when you press Enter. All cells
share one namespace (as in a notebook; ``__name__`` is ``"__main__"``, ``__file__`` is the
tutorial, its folder is on ``sys.path``). Each matplotlib figure a cell leaves open is saved to
``<out>/fig_NN.png`` (NN = cell number) and closed; ``plotting.show`` saves into the same folder
(the stepper sets ``TINYGRAD_CN_OUT``). With ``--from N`` the code cells before N run first,
silently, so that cell N finds the names it needs.

A tutorial is named by a number, a name or a path (``catalog.find``); the tutorials ship in the
wheel. Without a terminal on stdin (CI), the stepper runs as with ``--all``. A failing cell prints
its traceback and its number; with ``--all`` the stepper stops there and exits with status 1. A
cell that runs long without printing shows a progress line (``progress``). Output never fails on
a console that cannot encode Chinese (``console.safe_output``).
"""
import argparse
import ast
import builtins
import os
import sys
import traceback
import types
import warnings
from contextlib import redirect_stderr, redirect_stdout
from io import StringIO
from pathlib import Path

from .. import plotting
from . import catalog, console, predict
from .cells import read_cells
from .markdown import Style, render_markdown
from .progress import Progress

__all__ = ["Stepper", "run", "main"]

class _Quit(Exception):
    pass


class Stepper:
    """Runs the cells of one tutorial. ``interactive``: wait for a line on ``input`` before each
    code cell (Enter runs it, ``q`` quits, ``a`` runs the rest without stopping). ``label`` is how
    hints name the tutorial (default: its path); progress lines go to ``status`` (default stderr)."""

    progress = {"after": 2.0, "every": 10.0}         # seconds of quiet before a spinner / a log line

    def __init__(self, path, out=None, start=1, interactive=False, input=None, output=None,
                 color=None, label=None, status=None):
        self.path = Path(path).resolve()
        self.cells = read_cells(self.path)
        self.out = Path(out) if out is not None else Path("out") / self.path.stem
        self.start = start
        self.interactive = interactive
        self.input = input if input is not None else sys.stdin
        self.output = output if output is not None else sys.stdout
        self.status = status if status is not None else sys.stderr
        self.style = Style(console.wants_color(self.output) if color is None else color)
        self.label = label if label is not None else plotting.display_path(self.path)
        self.failures = []
        self.figures = []
        self.module = types.ModuleType("__main__")
        self.module.__dict__.update(__file__=str(self.path), __builtins__=builtins)
        self.namespace = self.module.__dict__
        # What a line typed at the prompt does (any other line, Enter included, runs the cell).
        self.answers = {"q": self.quit, "quit": self.quit, "exit": self.quit,
                        "a": self.run_all, "all": self.run_all}

    # -- output helpers
    def say(self, text=""):
        self.output.write(text + "\n")
        self.output.flush()

    def rule(self, cell, what):
        title = f" · {cell.title}" if cell.title else ""
        self.say(self.style.dim(f"── [{cell.number}/{len(self.cells)}] {what}{title} " + "─" * 20))

    def show_code(self, cell, skip=0):
        """The cell's lines with their file line numbers (the first ``skip`` lines left out)."""
        for i, line in enumerate(cell.source.split("\n")):
            if i >= skip:
                self.say(self.style.dim(f"{cell.line + i:4d} │ ") + line)

    # -- the prompt before a code cell
    def prompt(self, cell):
        """Ask before ``cell``; the answer's handler in ``self.answers`` decides what happens."""
        self.output.write(self.style.bold(f"▶ 第 {cell.number} 格 cell {cell.number}: ")
                          + "Enter 运行 run · a 全部运行 run all · q 退出 quit > ")
        self.output.flush()
        answer = self.input.readline()
        if not answer:                               # end of input
            self.say()
            self.quit(cell, answer)
        answer = answer.strip()
        handler = self.answers.get(answer.lower())
        if handler is not None:
            handler(cell, answer)

    def ask_prediction(self, cell, pred):
        """Ask for a prediction before a predict cell; returns the guess, or None (Enter: skip;
        ``a`` runs the rest without asking; ``q`` quits). A line that cannot be read is asked again."""
        what = ("选一个 choose: " + " · ".join(f"{k}) {c}" for k, c in enumerate(pred.choices, start=1))
                if pred.choices else "输入一个数 type a number")
        while True:
            self.output.write(self.style.bold("✎ 你的预测 your prediction ") + f"({what}；Enter 跳过 skip) > ")
            self.output.flush()
            line = self.input.readline()
            if not line:
                self.say()
                self.quit(cell, line)
            line = line.strip()
            if not line:
                return None
            handler = self.answers.get(line.lower())
            if handler is not None:
                handler(cell, line)
                return None
            guess = predict.parse_guess(line, pred)
            if guess is not None:
                return guess
            self.say(self.style.red(f"没看懂「{line}」：{what}"))

    def run_prediction(self, cell):
        """A predict cell: the question, the learner's guess (interactive), the code run, then the
        verdict and the true value. Returns True if it ran cleanly."""
        try:
            pred = predict.spec(cell.options)
        except ValueError as e:
            self.report(cell, e)
            return False
        asked = predict.question(cell.source)
        self.say(self.style.bold("？ ") + asked)
        guess = self.ask_prediction(cell, pred) if self.interactive else None
        lines = cell.source.split("\n")
        self.show_code(cell, skip=next((i for i, t in enumerate(lines) if not t.startswith("#")), len(lines)))
        if not self.execute(cell):
            return False
        try:
            value = predict.truth(self.namespace.get(pred.answer), pred)
        except ValueError as e:
            self.report(cell, e)
            return False
        if guess is None:
            shown = value if pred.choices else predict.fmt(value)
            self.say(self.style.green(f"答案 answer: {shown}"))
        else:
            verdict, line = predict.judge(guess, value, pred)
            self.say(self.style.green(line) if verdict == "close" else line)
        return True

    def quit(self, cell, answer):
        raise _Quit

    def run_all(self, cell, answer):
        self.interactive = False

    def resume_hint(self, cell):
        return console.command("-m", "tinygrad_cn.tutorial", self.label, "--from", cell.number)

    # -- running
    def execute(self, cell):
        """Run one code cell in the shared namespace; echo the value of a last bare expression
        (as a notebook does, unless the line ends with ';'). Returns True if it ran cleanly."""
        padded = "\n" * (cell.line - 1) + cell.source
        filename = str(self.path)
        try:
            tree = ast.parse(padded, filename, "exec")
            last = None
            if tree.body and isinstance(tree.body[-1], ast.Expr) and not cell.source.rstrip().endswith(";"):
                last = ast.Expression(tree.body.pop().value)
            code = compile(tree, filename, "exec", optimize=0)        # keep asserts even under -O
            code_last = compile(last, filename, "eval", optimize=0) if last is not None else None
        except SyntaxError:
            self.report(cell, sys.exc_info()[1])
            return False
        try:
            with Progress(cell.number, status=self.status, **self.progress):
                exec(code, self.namespace)
                value = eval(code_last, self.namespace) if code_last is not None else None
            if value is not None and value is not plotting._state.get("last_saved"):
                self.namespace["_"] = value
                print(repr(value))
        except SystemExit as e:
            if e.code in (None, 0):
                raise _Quit from None
            self.report(cell, e)
            return False
        except KeyboardInterrupt:
            raise
        except BaseException as e:
            self.report(cell, e)
            return False
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
        return True

    def report(self, cell, exc):
        self.failures.append(cell.number)
        tb = exc.__traceback__
        while tb is not None and tb.tb_frame.f_code.co_filename == __file__:
            tb = tb.tb_next                           # hide the stepper's own frames
        if isinstance(exc, SyntaxError):
            text = "".join(traceback.format_exception_only(type(exc), exc))
        else:
            text = "".join(traceback.format_exception(type(exc), exc, tb))
        where = f"{plotting.display_path(self.path)}, line {cell.line}"
        sys.stdout.flush()
        sys.stderr.write(text)
        sys.stderr.flush()
        self.say(self.style.red(f"✗ 第 {cell.number} 格出错 error in cell {cell.number} ({where}): "
                                f"{type(exc).__name__}: {exc}"))

    def save_figures(self, cell, keep=True):
        plt = sys.modules.get("matplotlib.pyplot")
        if plt is None:
            return
        numbers = plt.get_fignums()
        for k, num in enumerate(numbers, start=1):
            fig = plt.figure(num)
            if keep:
                suffix = "" if k == 1 else f"_{k}"
                path = self.out / f"fig_{cell.number:02d}{suffix}.png"
                path.parent.mkdir(parents=True, exist_ok=True)
                fig.savefig(path, dpi=120, bbox_inches="tight")
                self.figures.append(path)
                self.say(self.style.green(f"图已保存 figure saved: {plotting.display_path(path)}"))
            plt.close(fig)

    def run_silently(self, cells):
        """Run the code cells before --from N with their output swallowed."""
        if not cells:
            return True
        self.say(self.style.dim(f"(先静默运行第 1–{self.start - 1} 格 running cells 1–{self.start - 1} "
                                f"silently to rebuild their names)"))
        for cell in cells:
            buf = StringIO()
            with redirect_stdout(buf), redirect_stderr(buf):
                ok = self.execute(cell)
            if not ok:
                self.say(buf.getvalue().rstrip())
                return False
            self.save_figures(cell, keep=False)
        return True

    def run(self):
        """Run the tutorial; returns the exit status (0: all cells ran, or you quit; 1: a cell failed)."""
        if not self.cells:
            self.say(f"{self.path}: no cells")
            return 0
        if not 1 <= self.start <= len(self.cells):
            self.say(f"--from {self.start}: the tutorial has cells 1–{len(self.cells)}")
            return 2
        old = {"argv": sys.argv[:], "path": sys.path[:], "main": sys.modules.get("__main__"),
               "out": os.environ.get("TINYGRAD_CN_OUT")}
        sys.argv = [str(self.path)]
        sys.path.insert(0, str(self.path.parent))
        sys.modules["__main__"] = self.module
        os.environ["TINYGRAD_CN_OUT"] = str(self.out.resolve())
        self.say(self.style.heading(f"{self.path.name}") + self.style.dim(
            f"  ({len(self.cells)} 格 cells; 图 figures → {plotting.display_path(self.out)})"))
        cell = self.cells[0]
        try:
            with warnings.catch_warnings():
                warnings.filterwarnings("ignore", message=".*non-interactive.*cannot be shown")
                before = [c for c in self.cells[: self.start - 1] if c.kind in ("code", "predict")]
                if not self.run_silently(before):
                    return 1
                for cell in self.cells[self.start - 1:]:
                    self.say()
                    if cell.kind == "code":
                        self.rule(cell, "代码 code")
                        self.show_code(cell)
                        if self.interactive:
                            self.prompt(cell)
                        ok = self.execute(cell)
                        self.save_figures(cell)
                        if not ok and not self.interactive:
                            return 1
                    elif cell.kind == "predict":
                        self.rule(cell, "先想一想 predict")
                        ok = self.run_prediction(cell)
                        self.save_figures(cell)
                        if not ok and not self.interactive:
                            return 1
                    else:
                        self.rule(cell, "说明 text" if cell.kind == "markdown" else "raw")
                        self.say(render_markdown(cell.source, self.style.color)
                                 if cell.kind == "markdown" else cell.source)
        except _Quit:
            self.say(self.style.dim(f"已退出 quit at cell {cell.number}. 从这里继续 to go on: "
                                    f"{self.resume_hint(cell)}"))
            return 1 if self.failures else 0
        except KeyboardInterrupt:
            self.say(self.style.red(f"\n中断 interrupted at cell {cell.number}. 从这里继续 to go on: "
                                    f"{self.resume_hint(cell)}"))
            return 130
        finally:
            sys.argv, sys.path[:] = old["argv"], old["path"]
            if old["main"] is not None:
                sys.modules["__main__"] = old["main"]
            if old["out"] is None:
                os.environ.pop("TINYGRAD_CN_OUT", None)
            else:
                os.environ["TINYGRAD_CN_OUT"] = old["out"]
        self.say()
        if self.failures:
            cells = ", ".join(map(str, self.failures))
            self.say(self.style.red(f"✗ 出错的格 failed cells: {cells}"))
            return 1
        figs = f", {len(self.figures)} 张图 figures" if self.figures else ""
        self.say(self.style.green(f"✓ 完成 done: {len(self.cells)} 格 cells{figs}"))
        return 0


def run(path, out=None, start=1, interactive=False, input=None, output=None, color=None, label=None,
        status=None):
    """Step through ``path``; see ``Stepper``. Returns the exit status."""
    return Stepper(path, out=out, start=start, interactive=interactive, input=input, output=output,
                   color=color, label=label, status=status).run()


def main(argv=None):
    """``python -m tinygrad_cn.tutorial``; returns the exit status (2: no such tutorial)."""
    console.safe_output()
    p = argparse.ArgumentParser(
        prog="python -m tinygrad_cn.tutorial",
        description="逐格运行教程 Step through a tutorial: Enter runs the next cell, q quits.")
    p.add_argument("tutorial", nargs="?",
                   help="a number (01), a name (sigmoid_wx_b) or a file (tutorials/01_sigmoid_wx_b.py)")
    p.add_argument("--list", action="store_true", help="list the tutorials and exit")
    p.add_argument("--all", action="store_true", help="run every cell without stopping")
    p.add_argument("--out", metavar="DIR", help="folder for figures (default: ./out/<tutorial name>)")
    p.add_argument("--from", dest="start", metavar="N", type=int, default=1,
                   help="start at cell N (code cells before it run silently first)")
    p.add_argument("--interactive", action="store_true", help=argparse.SUPPRESS)  # prompt even without a TTY
    a = p.parse_args(argv)
    if a.list or a.tutorial is None:
        print(catalog.listing() or "(no tutorials found)")
        if a.tutorial is None and not a.list:
            print(f"\n逐格运行一篇 step through one: {console.command('-m', 'tinygrad_cn.tutorial', '01')}")
        return 0
    try:
        path = catalog.find(a.tutorial)
    except catalog.TutorialNotFound as e:
        print(f"{p.prog}: error: {e}", file=sys.stderr)
        return 2
    label = plotting.display_path(path) if Path(a.tutorial).is_file() else a.tutorial
    interactive = a.interactive or (not a.all and sys.stdin is not None and sys.stdin.isatty())
    if not interactive or plotting.headless():
        os.environ.setdefault("MPLBACKEND", "Agg")
    return run(path, out=a.out, start=a.start, interactive=interactive, label=label)
