"""``python -m tinygrad_cn.exercises``: list the exercises, start one, check it, ask for a hint.

    python -m tinygrad_cn.exercises list                 # every exercise: id, ★, lesson, title
    python -m tinygrad_cn.exercises start 01.1 --dir my  # writes my/ex01_1.py to edit
    python -m tinygrad_cn.exercises check 01.1 --dir my  # checks it against the engine
    python -m tinygrad_cn.exercises hint 01.1 [2]        # the first (second, ...) hint
    python -m tinygrad_cn.exercises solution 01.1        # the reference solution, when you ask

``check`` exits 0 when the exercise passes, 1 when it does not, 2 on a usage error.
"""
import argparse
import sys
from pathlib import Path

from ..stepper.console import command, safe_output
from ..text import pad
from . import EXERCISES, find, run_check
from .base import STARS

__all__ = ["main"]

DEFAULT_DIR = "exercises"


def _cmd(*args):
    return command("-m", "tinygrad_cn.exercises", *args)


def listing(lesson=None):
    rows = [ex for ex in EXERCISES.values() if lesson is None or ex.lesson == lesson.zfill(2)]
    return "\n".join(f"{ex.id:5s} {pad(STARS[ex.stars], 4)} 教程 {ex.lesson}  {ex.title}" for ex in rows)


def start(ex, folder, force):
    path = Path(folder) / ex.filename
    if path.exists() and not force:
        print(f"{path} 已经存在，没有覆盖 (already exists, not overwritten; --force to start again)")
        return 1
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(ex.stub(), encoding="utf-8")
    print(ex.task())
    print(f"\n已写好 written: {path}\n改好后检查 when done, check it: {_cmd('check', ex.id, '--dir', folder)}")
    print(f"需要提示 a hint: {_cmd('hint', ex.id)}")
    return 0


def check(ex, folder, file):
    path = Path(file) if file else Path(folder) / ex.filename
    if not path.is_file():
        print(f"找不到 {path} (no such file). 先开始这道练习 start it first: "
              f"{_cmd('start', ex.id, '--dir', folder)}")
        return 2
    problems = run_check(ex, path)
    if not problems:
        print(f"✓ 通过！练习 {ex.id} {STARS[ex.stars]}：{ex.title}（与引擎一致 agrees with the engine）")
        return 0
    print(f"✗ 还没通过 not yet: 练习 {ex.id}（{path}）")
    for p in problems:
        print("  " + p.replace("\n", "\n  "))
    print(f"提示 hint: {_cmd('hint', ex.id)}")
    return 1


def hint(ex, n):
    if not 1 <= n <= len(ex.hints):
        print(f"练习 {ex.id} 有 {len(ex.hints)} 条提示 (hints 1–{len(ex.hints)})")
        return 2
    print(f"提示 {n}/{len(ex.hints)}：{ex.hints[n - 1]}")
    if n < len(ex.hints):
        print(f"下一条 next: {_cmd('hint', ex.id, n + 1)}")
    else:
        print(f"还不行就看参考答案 the solution: {_cmd('solution', ex.id)}")
    return 0


def main(argv=None):
    safe_output()
    p = argparse.ArgumentParser(prog="python -m tinygrad_cn.exercises",
                                description="会自己检查的练习 Exercises that check themselves.")
    sub = p.add_subparsers(dest="cmd")
    ls = sub.add_parser("list", help="list the exercises")
    ls.add_argument("--lesson", help="only this lesson's (e.g. 04)")
    for name, what in (("start", "write a stub to edit"), ("check", "check your file"), ("hint", "a hint"),
                       ("solution", "the reference solution"), ("show", "the task")):
        sp = sub.add_parser(name, help=what)
        sp.add_argument("id", help="exercise id, e.g. 01.1")
        if name in ("start", "check"):
            sp.add_argument("--dir", default=DEFAULT_DIR, help=f"your folder (default: ./{DEFAULT_DIR})")
        if name == "start":
            sp.add_argument("--force", action="store_true", help="overwrite an existing file")
        if name == "check":
            sp.add_argument("--file", help="check this file instead of DIR/exNN_K.py")
        if name == "hint":
            sp.add_argument("n", nargs="?", type=int, default=1, help="which hint (1, 2, ...)")
    a = p.parse_args(argv)
    if a.cmd in (None, "list"):
        print(listing(getattr(a, "lesson", None)) or "(no exercises)")
        if a.cmd is None:
            print(f"\n开始一道 start one: {_cmd('start', '01.1', '--dir', DEFAULT_DIR)}")
        return 0
    try:
        ex = find(a.id)
    except KeyError as e:
        print(f"{p.prog}: error: {e.args[0]}", file=sys.stderr)
        return 2
    if a.cmd == "start":
        return start(ex, a.dir, a.force)
    if a.cmd == "check":
        return check(ex, a.dir, a.file)
    if a.cmd == "hint":
        return hint(ex, a.n)
    if a.cmd == "show":
        print(ex.task())
        return 0
    print(f"# 练习 {ex.id} 的参考答案 reference solution（先自己试过再看）\n")
    print(ex.solution())
    return 0
