"""The teaching tools: the textbook's step tables (``trace``), drawings and frames (``viz``),
symbolic differentiation, the worked example (``textbook``), the terminal stepper and plotting.
Imports the engine (and ``nn`` only to name parameters); graphviz and matplotlib load when used."""
