"""The engine: the Tensor, the primitive table (one row per op), the recorded graph, the sweeps
and transforms over it, numerical differentiation and the compiler. Imports nothing of ``nn`` or
``teach``.

Layers, lowest first: errors, tensor → graph → primitive → primitives (the rows) → ops (the public
functions) → sweeps → transforms → differences, culprit, numerical (check_grad) → codegen,
compile (tg.jit); ``methods`` binds Tensor's operators and methods last. docs/architecture.md
draws it.
"""
from . import methods  # noqa: F401  (binds Tensor's operators and methods)
