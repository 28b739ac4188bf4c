"""Exercises that check themselves (``python -m tinygrad_cn.exercises``): every reference solution
passes its check, every stub fails as unfinished, and a planted mistake in each exercise fails with
a message that names that mistake."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tinygrad_cn.core.primitive import PRIMITIVES
from tinygrad_cn.teach.exercises import EXERCISES, find, run_check

ROOT = Path(__file__).resolve().parents[1]
IDS = sorted(EXERCISES)

# exercise -> (text in the reference solution, the mistake put in its place, what the message must say)
MISTAKES = {
    "01.1": ("return ds * x, ds", "return ds, ds", "少乘了 x"),
    "01.2": ('d["h2"] = d["h3"] * (-1.0)', 'd["h2"] = d["h3"]', "∂h3/∂h2 = −1"),
    "01.3": ("return g * out * (1 - out)", "return g * out", "your_sigmoid(v1) 的 vjp 规则错了"),
    "02.1": ("axis=1", "axis=0", "返回的是 Jᵀ"),
    "02.2": ("(row,) = pullback(e)", "(row,) = pullback(e); tg.jvp(f, [x], [np.ones(len(x))])",
             "只许用反向扫描"),
    "03.1": ("(f(x + dx) - f(x - dx)) / (2 * dx)", "(f(x + dx) - f(x)) / dx", "这是前向差分 (5.58)"),
    "03.2": ("return g * (tg.sin(a) + a * tg.cos(a))", "return g * tg.sin(a)", "的 vjp 规则错了"),
    "03.3": ("return float(dxs[int(np.argmin(errors))])", "return 1e-8", "前向差分的最优步长"),
    "04.1": ("return (a - y) * a * (1 - a)", "return a - y", "少乘了 σ′(z)"),
    "04.2": ("delta = acts[l] * (1 - acts[l]) * (Ws[l].T @ delta)", "delta = Ws[l].T @ delta",
             "少乘了 σ′(z⁽ˡ⁾)"),
    "05.1": ("(z > 0)", "(z >= 0)", "relu′(0)"),
    "05.2": ("grad *= w * a * (1 - a)", "grad *= a * (1 - a)", "少乘了权重 w_l"),
    "06.1": ("x[5 - i]", "x[i]", "对称的应当正好 8 个"),
    "06.2": ("delta = -eps * g + alpha * delta", "delta = -eps * g", "没有动量"),
    "06.3": ("b2 = np.array([5.0])", "b2 = np.array([-5.0])", "卡住的网络"),
    "07.1": ("np.minimum(y - 0.8, 0.0)", "y - 0.8", "超过 0.8 以后不该再有误差"),
    "07.2": ("w = (1 - 0.002) * (w + delta)", "w = (1 - 0.002) * w + delta", "只衰减了旧的 w"),
    "08.1": ("Ws = [tg.Tensor(W, requires_grad=True) for _ in range(T)]", "Ws = [tg.Tensor(W, requires_grad=True)] * T",
             "同一个张量（扇出）"),
    "09.1": ("np.mean(1.0 / alpha + u * (1.0 - 2.0 * y))", "np.mean(u * (1.0 - 2.0 * y))", "少了 1/α 一项"),
    "09.2": ("alpha + lr * dalpha, beta + lr * dbeta", "alpha + lr * dalpha, beta", "β 没有更新"),
    "10.1": ("return rho_prime * (b + W @ r)", "return b + W @ r", "少乘了 ρ′(sᵢ)"),
    "11.1": ("hs[i - 1] + g(i, targets[i]) - g(i, hs[i])", "g(i, targets[i])", "没有差分修正"),
    "12.1": ("delta = (a - d) * a * (1 - a)", "delta = a - d", "少乘了 σ′(z)"),
    "13.1": ("w.zero_grad()", "pass", "两次 backward() 之间要清零"),
    "13.2": ("grads[id(inp)] + contribution", "contribution", "不能覆盖（=）"),
    "13.3": ("return w * w.detach()", "return w * w", "两个因子都连着 w"),
    "14.1": ("y = x\n    for _ in range(n - 1):\n        y = y * x\n    return y", "return x ** n", "不要用 x ** n"),
    "14.2": ("return order\n", "return order[::-1]\n", "顺序整个反了"),
}


def _check(tmp_path, ex, text):
    path = tmp_path / ex.filename
    path.write_text(text, encoding="utf-8")
    return run_check(ex, path)


@pytest.mark.parametrize("ex_id", IDS)
def test_the_reference_solution_passes_and_the_stub_does_not(ex_id, tmp_path):
    ex = EXERCISES[ex_id]
    assert _check(tmp_path, ex, ex.solution()) == []
    (problem,) = _check(tmp_path, ex, ex.stub())
    assert problem.startswith("还没写完") and ex_id in problem
    assert "# >>>" not in ex.solution() and "raise NotImplementedError" in ex.stub()


@pytest.mark.parametrize("ex_id", IDS)
def test_a_planted_mistake_fails_with_a_message_that_names_it(ex_id, tmp_path):
    ex = EXERCISES[ex_id]
    old, new, says = MISTAKES[ex_id]
    assert old in ex.solution()
    problems = _check(tmp_path, ex, ex.solution().replace(old, new))
    assert problems and says in "\n".join(problems), problems


def test_every_core_lesson_has_two_exercises_graded_by_stars():
    assert set(MISTAKES) == set(EXERCISES)
    for lesson in ("01", "02", "03", "04", "05", "06", "13", "14"):
        assert len([e for e in EXERCISES.values() if e.lesson == lesson]) >= 2, lesson
    for lesson in ("07", "08", "09", "10", "11"):              # the case studies: at least one each
        assert any(e.lesson == lesson for e in EXERCISES.values()), lesson
    assert {e.stars for e in EXERCISES.values()} == {1, 2, 3}
    assert all(e.task().startswith(f"练习 {e.id} ") and e.hints for e in EXERCISES.values())


def test_a_learner_primitive_leaves_the_primitive_table_as_it_was(tmp_path):
    before = set(PRIMITIVES)
    for ex_id in ("01.3", "03.2"):
        ex = EXERCISES[ex_id]
        _check(tmp_path, ex, ex.solution())
        _check(tmp_path, ex, ex.solution().replace("return g * ", "return 2 * g * "))
    assert set(PRIMITIVES) == before


def test_an_error_in_the_learners_code_points_into_their_file(tmp_path):
    ex = find("1.1")                                          # "1.1" and "01_1" name 01.1 too
    assert find("01_1") is ex
    (problem,) = _check(tmp_path, ex, ex.solution().replace("ds = s * (1.0 - s)", "ds = s * (1.0 - q)"))
    assert "NameError" in problem and str(tmp_path / ex.filename) in problem and "ds = s * (1.0 - q)" in problem
    with pytest.raises(KeyError, match="no exercise '99.1'"):
        find("99.1")


def run(tmp_path, *args):
    env = dict(os.environ, PYTHONIOENCODING="utf-8", NO_COLOR="1",
               PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    r = subprocess.run([sys.executable, "-m", "tinygrad_cn.exercises", *args], cwd=tmp_path, capture_output=True,
                       text=True, encoding="utf-8", env=env, timeout=120)
    return r.returncode, r.stdout + r.stderr


def test_a_session_list_start_check_hint_solution(tmp_path):
    rc, out = run(tmp_path, "list")
    assert rc == 0 and [line.split()[0] for line in out.splitlines()] == IDS
    assert "04.2  ★★   教程 04" in out
    rc, out = run(tmp_path, "list", "--lesson", "13")
    assert rc == 0 and [line.split()[0] for line in out.splitlines()] == ["13.1", "13.2", "13.3"]

    rc, out = run(tmp_path, "start", "13.2", "--dir", "我的练习")
    stub = tmp_path / "我的练习" / "ex13_2.py"
    assert rc == 0 and stub.is_file() and "练习 13.2 ★★" in out and "check 13.2 --dir '我的练习'" in out
    assert "grads[id(inp)] + contribution" not in stub.read_text(encoding="utf-8")   # no answer in the stub
    rc, out = run(tmp_path, "start", "13.2", "--dir", "我的练习")
    assert rc == 1 and "没有覆盖" in out                                               # never overwrites

    rc, out = run(tmp_path, "check", "13.2", "--dir", "我的练习")
    assert rc == 1 and "还没写完" in out and "hint 13.2" in out
    text = stub.read_text(encoding="utf-8").replace('raise NotImplementedError("练习 13.2：还没写")',
                                                    "grads[id(inp)] = contribution")
    stub.write_text(text, encoding="utf-8")                   # the classic slip: = instead of +=
    rc, out = run(tmp_path, "check", "13.2", "--dir", "我的练习")
    assert rc == 1 and "+=" in out and "不能覆盖（=）" in out
    stub.write_text(text.replace("grads[id(inp)] = contribution",
                                 "grads[id(inp)] = grads.get(id(inp), 0) + contribution"), encoding="utf-8")
    rc, out = run(tmp_path, "check", "13.2", "--dir", "我的练习")
    assert rc == 0 and "✓ 通过" in out

    rc, out = run(tmp_path, "hint", "13.2")
    assert rc == 0 and "提示 1/3" in out and "hint 13.2 2" in out
    rc, out = run(tmp_path, "hint", "13.2", "3")
    assert rc == 0 and "solution 13.2" in out
    rc, out = run(tmp_path, "solution", "13.2")
    assert rc == 0 and "grads[id(inp)] + contribution" in out and "# >>>" not in out
    rc, out = run(tmp_path, "check", "01.1", "--dir", "elsewhere")
    assert rc == 2 and "start 01.1 --dir elsewhere" in out
    rc, out = run(tmp_path, "check", "99.9")
    assert rc == 2 and "no exercise '99.9'" in out
