"""``python -m tinygrad_cn.tutorial``: list the tutorials, or step through one in a terminal
(``teach.stepper``; ``--help`` says how)."""
from .teach.stepper import main

if __name__ == "__main__":
    raise SystemExit(main())
