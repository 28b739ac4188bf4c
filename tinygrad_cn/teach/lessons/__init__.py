"""What single lessons need beyond the shared setup (``teach.lesson``): their experiments and
figures, kept out of the tutorials so that a lesson shows the lesson (``lesson.show_code`` prints
any of them where the code itself is the point)."""
