"""The step tables: the seed's numbers (eqs. 5.69–5.79), fan-out sums, and the three formats."""
import numpy as np
import pytest

import tinygrad_cn as tg
from tinygrad_cn.teach.textbook import sigmoid_example
from tinygrad_cn.teach.trace import forward_table, reverse_steps, reverse_table


def _rows(text):
    return [line.split("  ")[0] for line in text.splitlines()[2:]]


def test_forward_table_is_eqs_5_69_to_5_74():
    g = sigmoid_example()
    table = forward_table(g.f, g.w)
    assert _rows(table) == ["h1", "h2", "h3", "h4", "h5", "h6", "f"]
    lines = table.splitlines()
    assert lines[2].split() == ["h1", "h1", "=", "w", "·", "x", "0", "∂h1/∂w", "=", "1", "1"]     # 5.69
    assert lines[3].endswith("∂h2/∂h1 · ∂h1/∂w = 1 × 1 = 1")                                  # 5.70
    assert lines[4].endswith("(-1) × 1 = -1")                                                 # 5.71
    assert lines[7].endswith("∂h6/∂h5 · ∂h5/∂w = (-0.25) × (-1) = 0.25")                      # 5.73
    assert lines[8].endswith("1 × 0.25 = 0.25")                                               # 5.74


def test_reverse_table_is_eqs_5_75_to_5_79():
    g = sigmoid_example()
    lines = reverse_table(g.f).splitlines()
    by_node = {line.split()[0]: line for line in lines[2:]}
    assert by_node["h6"].endswith(" 1")                                                      # 5.75
    assert "via h6: 1 × (-0.25) = -0.25" in by_node["h5"]                                    # 5.76
    assert "via h5: (-0.25) × 1 = -0.25" in by_node["h4"]                                    # 5.77
    assert "via h1: 0.25 × 1 = 0.25" in by_node["w"] and by_node["w"].endswith("0.25")       # 5.79


def test_fan_out_contributions_add_up():
    # f = t² + t with t = w·x: ∂f/∂t = 2t + 1, one contribution per use of t
    x = tg.Tensor(3.0, name="x")
    w = tg.Tensor(2.0, requires_grad=True, name="w")
    t = (w * x).named("t")
    f = (t * t + t).named("f")
    steps = {s.node: s for s in reverse_steps(f)}
    products = sorted(term.product for term in steps["t"].terms)
    assert products == [1.0, 6.0, 6.0]            # via v1 = t·t (twice: t is both factors) and via f
    assert steps["t"].total == 2 * 6.0 + 1
    assert steps["w"].total == (2 * 6.0 + 1) * 3.0
    assert "; " in reverse_table(f).splitlines()[[s.node for s in reverse_steps(f)].index("t") + 2]


def test_markdown_and_html_escape_what_they_must():
    x = tg.Tensor(1.0, requires_grad=True, name='a|b<c>&"中文"')
    f = (x * 2).named("f")
    md = reverse_table(f, "markdown")
    assert 'a\\|b<c>&"中文"' in md and md.count("\n") == 3
    html = forward_table(f, x, "html")
    assert "a|b&lt;c&gt;&amp;&quot;中文&quot;" in html and "<c>" not in html
    with pytest.raises(ValueError, match="format"):
        forward_table(f, x, "latex")


def test_tables_need_a_scalar_graph():
    x = tg.Tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(ValueError, match="graph of scalars"):
        reverse_table((x * 2).sum())


def test_size_one_tensors_that_are_not_0d_work():
    w = tg.Tensor([2.0], requires_grad=True, name="w")
    f = tg.sigmoid(w * 3.0).sum().named("f")
    s = 1 / (1 + np.exp(-6.0))
    (step,) = [st for st in reverse_steps(f) if st.node == "w"]
    assert step.total == pytest.approx(3 * s * (1 - s), rel=1e-14)


def test_table_headers_are_chinese_with_the_english_beside():
    g = sigmoid_example(1.0, 0.0, 0.0)
    fwd, rev = forward_table(g.f, g.w).splitlines()[0], reverse_table(g.f).splitlines()
    for word in ("节点 node", "表达式 expression", "值 value", "局部导数 local derivative"):
        assert word in fwd
    assert "各条边的贡献 via 消费者 consumer" in rev[0] and "∂f/∂node（求和 sum）" in rev[0]
    assert "(起点 ∂f/∂f = 1)" in rev[2]                                 # the output's row: eq. 5.75's start
