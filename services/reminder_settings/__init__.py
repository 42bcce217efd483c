"""A person's reminder settings: timing, quiet hours, digest, mutes, what is due."""
