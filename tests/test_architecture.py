"""The house keeps its shape (docs/architecture.md): core imports nothing of nn or teach, nn
nothing of teach; no module imports another's private names; no two modules import each other in
a circle (module-level imports); no module over 400 lines."""
import ast
import pathlib

import pytest

PKG = pathlib.Path(__file__).resolve().parents[1] / "tinygrad_cn"
MODULES = sorted(p for p in PKG.rglob("*.py") if "tutorials" not in p.parts)


def _name(path):
    rel = path.relative_to(PKG.parent).with_suffix("")
    parts = list(rel.parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path, top_level_only):
    """(imported module, imported names) for each ``from ... import`` / ``import`` in ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    body = tree.body if top_level_only else list(ast.walk(tree))
    me = _name(path)
    package = me if path.name == "__init__.py" else me.rpartition(".")[0]
    for node in body:
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - node.level + 1]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            yield mod, [a.name for a in node.names]
        elif isinstance(node, ast.Import):
            for a in node.names:
                yield a.name, []


def test_layers_import_downwards_only():
    bad = []
    for path in MODULES:
        me = _name(path)
        for mod, _ in _imports(path, top_level_only=False):
            if me.startswith("tinygrad_cn.core") and mod.startswith(("tinygrad_cn.nn", "tinygrad_cn.teach")):
                bad.append((me, mod))
            if me.startswith("tinygrad_cn.nn") and mod.startswith("tinygrad_cn.teach"):
                bad.append((me, mod))
    assert not bad, f"imports against the layering: {bad}"


def test_no_private_names_cross_modules():
    bad = [(_name(p), mod, n) for p in MODULES for mod, names in _imports(p, top_level_only=False)
           if mod.startswith("tinygrad_cn") for n in names if n.startswith("_") and n != "__all__"]
    assert not bad, f"private names imported from another module: {bad}"


def test_no_import_circles():
    names = {_name(p) for p in MODULES}
    graph = {}
    for path in MODULES:
        me = _name(path)
        deps = set()
        for mod, imported in _imports(path, top_level_only=True):
            for cand in [f"{mod}.{n}" for n in imported] + [mod]:
                if cand in names and cand != me and not me.startswith(cand + "."):
                    deps.add(cand)
                    break
        graph[me] = deps
    state, stack = {}, []

    def visit(n):               # depth-first search for a back edge (the graph is small)
        state[n] = "open"
        stack.append(n)
        for d in sorted(graph.get(n, ())):
            if state.get(d) == "open":
                raise AssertionError("import circle: " + " -> ".join(stack[stack.index(d):] + [d]))
            if d not in state:
                visit(d)
        stack.pop()
        state[n] = "done"
    for n in sorted(graph):
        if n not in state:
            visit(n)


@pytest.mark.parametrize("path", MODULES, ids=[_name(p) for p in MODULES])
def test_modules_are_small(path):
    assert len(path.read_text(encoding="utf-8").splitlines()) <= 400


def test_tensor_declares_for_type_checkers_exactly_the_methods_it_is_given():
    from tinygrad_cn.core.methods import METHODS
    tree = ast.parse((PKG / "core" / "tensor.py").read_text(encoding="utf-8"))
    cls = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "Tensor")
    block = next(n for n in cls.body if isinstance(n, ast.If) and ast.unparse(n.test) == "TYPE_CHECKING")
    declared = {f.name for f in block.body if isinstance(f, ast.FunctionDef)}
    assert declared == set(METHODS) - {"__array_ufunc__", "__array_function__"}
