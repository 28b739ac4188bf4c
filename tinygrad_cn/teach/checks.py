"""One visible check per lesson section: ``agrees(got, want)`` asserts and prints one line
"✓ 与教材一致：…" (the detailed checks live in tests/)."""
import numpy as np

__all__ = ["agrees"]


def agrees(what, got, want, tol=0.0, source="与教材一致"):
    """Assert |got − want| ≤ tol elementwise (``tol=0``: exactly equal) and print
    "✓ <source>：<what> = <got>". Raises AssertionError naming ``what``, both values and the tolerance."""
    got_a, want_a = np.asarray(got, dtype=float), np.asarray(want, dtype=float)
    if got_a.shape != want_a.shape and want_a.shape != ():
        raise ValueError(f"agrees: {what}: shapes {got_a.shape} and {want_a.shape} differ")
    err = float(np.max(np.abs(got_a - want_a))) if got_a.size else 0.0
    if not err <= tol:
        raise AssertionError(f"agrees: {what} = {got!r}, expected {want!r} (|error| {err:.3g} > tol {tol:g})")
    shown = f"{float(got_a):.6g}" if got_a.shape == () else f"{got_a.ravel().tolist()}（最大误差 {err:.1e}）"
    print(f"✓ {source}：{what} = {shown}")
