"""``python -m tinygrad_cn.tutorial``: step through a tutorial in a terminal (``teach.stepper``)."""
from .teach.stepper import main

if __name__ == "__main__":
    raise SystemExit(main())
