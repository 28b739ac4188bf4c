"""The engine: the Tensor, the primitives (one row each), the recorded graph, the sweeps and
transforms over it, and numerical differentiation. Imports nothing of ``nn`` or ``teach``."""
