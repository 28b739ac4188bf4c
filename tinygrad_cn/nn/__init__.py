"""Networks on the engine: module machinery, layers, activations, adaptive units
(``tg.nn``), and beside them ``functional`` (activations and losses), ``optim``, ``init``,
``data``, ``datasets`` and the training loop ``train``. Imports the engine, never ``teach``."""
from .modules import *  # noqa: F403
from .modules import __all__
