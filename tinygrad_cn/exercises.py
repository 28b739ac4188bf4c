"""``python -m tinygrad_cn.exercises``: exercises that check themselves (``teach.exercises.cli``;
``--help`` says how)."""
from .teach.exercises.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
