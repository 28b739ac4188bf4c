"""The errors tinygrad_cn raises. Each message names the op, the shapes or values, and the fix."""


class ShapeError(ValueError):
    """Shapes that do not fit: broadcasting, matmul, a gradient or tangent of the wrong shape."""


class GraphFreedError(RuntimeError):
    """A sweep over a graph whose saved values an earlier backward() freed."""


class AnomalyError(FloatingPointError):
    """Under detect_anomaly(): the first op that turned finite inputs into NaN or inf."""


class GradientCheckError(AssertionError):
    """check_grad found a derivative that disagrees with central differences."""


class AxisError(ShapeError, IndexError):
    """An axis that the tensor does not have, repeated, or not an integer."""


class MutationError(RuntimeError):
    """A recorded tensor's values changed before the sweep that needs them."""
