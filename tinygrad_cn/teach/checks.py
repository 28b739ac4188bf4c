"""One visible check per lesson section: ``agrees(got, want)`` asserts and prints one line
"✓ 与教材一致：…" (the detailed checks live in tests/)."""
import numpy as np

__all__ = ["agrees"]


def agrees(what, got, want, tol=0.0, source="与教材一致"):
    """Assert |got − want| ≤ tol elementwise (``tol=0``: exactly equal) and print
    "✓ <source>：<what> = <got>" (a long array: its size and the largest error). ``want`` True or False:
    assert ``bool(got)`` is that and print "✓ <source>：<what>". Raises AssertionError naming ``what``,
    both values and the tolerance."""
    if isinstance(want, bool):
        if bool(got) is not want:
            raise AssertionError(f"agrees: {what} is {bool(got)}, expected {want}")
        print(f"✓ {source}：{what}")
        return
    got_a, want_a = np.asarray(got, dtype=float), np.asarray(want, dtype=float)
    if got_a.shape != want_a.shape and want_a.shape != ():
        raise ValueError(f"agrees: {what}: shapes {got_a.shape} and {want_a.shape} differ")
    err = float(np.max(np.abs(got_a - want_a))) if got_a.size else 0.0
    if not err <= tol:
        raise AssertionError(f"agrees: {what} = {got!r}, expected {want!r} (|error| {err:.3g} > tol {tol:g})")
    if got_a.shape == ():
        print(f"✓ {source}：{what} = {float(got_a):.6g}")
    elif got_a.size <= 4:
        print(f"✓ {source}：{what} = {[float(f'{v:.6g}') for v in got_a.ravel()]}（最大误差 {err:.1e}）")
    else:
        print(f"✓ {source}：{what}（{got_a.size} 个数，最大误差 {err:.1e}）")
