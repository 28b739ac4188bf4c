"""The engine: the Tensor, the primitive table (one row per op), the recorded graph, the sweeps
and transforms over it, and numerical differentiation. Imports nothing of ``nn`` or ``teach``.

Layers, lowest first: errors, tensor → graph → primitive → primitives (the rows) → functions →
sweeps → transforms → numerical; ``methods`` binds Tensor's operators and methods last.
"""
from . import methods  # noqa: F401  (binds Tensor's operators and methods)
