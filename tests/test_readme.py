"""The README's Python example runs and prints what it says."""
import re
from pathlib import Path

from tinygrad_cn.teach.stepper import catalog

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_example_runs_and_its_comments_are_true(capsys):
    text = README.read_text(encoding="utf-8")
    code = re.search(r"```python\n(.*?)```", text, re.S).group(1)
    scope = {}
    exec(compile(code, "README.md", "exec"), scope)
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "0.5 0.25 0.25"
    assert scope["df_dw"].item() == 0.25
    assert (scope["out"].item(), scope["tangent"].item()) == (0.5, 0.25)
    assert abs(scope["d2"].item() + 0.8414709848078965) < 1e-15      # −sin 1
    assert "all agree with central differences" in out


def _block_after(marker):
    text = README.read_text(encoding="utf-8")
    return re.search(re.escape(marker) + r"\s*```bash\n(.*?)```", text, re.S).group(1).strip()


def test_first_command_steps_an_existing_tutorial_and_ci_runs_the_second():
    demo = _block_after("<!-- demo-command -->")
    (spec,) = re.findall(r"-m tinygrad_cn\.tutorial\s+(\S+)", demo)      # a file, a number or a name
    assert catalog.find(spec).parent == README.parent / "tutorials"
    for tutorial in re.findall(r"`(\d\d_\w+\.py)`", README.read_text(encoding="utf-8")):
        assert (README.parent / "tutorials" / tutorial).is_file(), tutorial
    assert "test-command" in (README.parent / ".ci" / "run").read_text()
    assert "pytest" in _block_after("<!-- test-command -->")
