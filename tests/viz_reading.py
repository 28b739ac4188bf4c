"""Reading drawings back in tests: the DOT text's nodes and edges, an SVG's texts, and NNDL fig.
5.8 as a graph (shared by tests/test_viz*.py)."""
import html
import re
import xml.etree.ElementTree as ET

import tinygrad_cn as tg

SVG = "{http://www.w3.org/2000/svg}"
XLINK_TITLE = "{http://www.w3.org/1999/xlink}title"


def textbook():
    """NNDL fig. 5.8 at x = 1, w = 0, b = 0 (f = 0.5, ∂f/∂w = ∂f/∂b = 0.25, eq. 5.68)."""
    x = tg.Tensor(1.0, name="x")
    w = tg.Tensor(0.0, requires_grad=True, name="w")
    b = tg.Tensor(0.0, requires_grad=True, name="b")
    h1 = (w * x).named("h1")
    h2 = (h1 + b).named("h2")
    h3 = (-h2).named("h3")
    h4 = h3.exp().named("h4")
    h5 = (h4 + 1).named("h5")
    h6 = (1 / h5).named("h6")
    return dict(x=x, w=w, b=b, h1=h1, h2=h2, h3=h3, h4=h4, h5=h5, h6=h6)


# ---- reading the DOT text ----------------------------------------------------------------------
NODE = re.compile(r"^\t(t\d+|op\d+) \[(.*)\]$")
EDGE = re.compile(r"^\t(\w+) -> (\w+)(?: \[(.*)\])?$")


def _lines(label):
    """The text lines of an HTML-like label, as displayed."""
    cells = re.findall(r"<TD[^>]*>(.*?)</TD>", label) or [label]
    out = []
    for c in cells:
        for part in re.split(r"<BR/>", c):
            text = re.sub(r"<[^>]+>", "", part)
            out.append(html.unescape(text).replace("\\\\", "\\"))
    return out


class Dot:
    """Nodes and edges of a drawing, read from its DOT text."""

    def __init__(self, g):
        self.source = g.source
        self.nodes, self.edges = {}, []
        for line in g.source.splitlines():
            if m := NODE.match(line):
                attrs = m.group(2)
                label = re.match(r"label=<(.*)> class=", attrs).group(1)
                cls = re.search(r'class="?([\w ]+)"?', attrs).group(1).split()
                self.nodes[m.group(1)] = dict(lines=_lines(label), cls=set(cls), attrs=attrs)
            elif m := EDGE.match(line):
                self.edges.append((m.group(1), m.group(2), m.group(3) or ""))
        self.tensors = {k: v for k, v in self.nodes.items() if k.startswith("t")}
        self.ops = {k: v for k, v in self.nodes.items() if k.startswith("op")}

    def name(self, node_id):
        """A tensor node's name (its first line, without '= value')."""
        return self.nodes[node_id]["lines"][0].split(" = ")[0]

    def id_of(self, name):
        (nid,) = self.ids_of(name)
        return nid

    def ids_of(self, name):
        return [k for k in self.tensors if self.name(k) == name]

    def lines(self, name):
        return self.nodes[self.id_of(name)]["lines"]

    def inputs_of(self, name):
        """Names of the inputs of the op that made tensor ``name``, in argument order."""
        (op,) = [a for a, b, _ in self.edges if b == self.id_of(name)]
        return [self.name(a) for a, b, _ in self.edges if b == op]

    def path(self):
        nodes = {k for k, v in self.nodes.items() if "path" in v["cls"]}
        edges = {(a, b) for a, b, attrs in self.edges if "class=path" in attrs}
        return nodes, edges


def svg_texts(svg):
    root = ET.fromstring(svg.encode("utf-8"))
    texts = ["".join(e.itertext()) for e in root.iter(SVG + "text")]
    tips = [e.get(XLINK_TITLE) for e in root.iter() if e.get(XLINK_TITLE)]
    return root, texts, tips
