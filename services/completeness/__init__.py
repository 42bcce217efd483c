"""АИС СГО (seed 001): card-completeness monitoring and the school-year switch reminders."""
