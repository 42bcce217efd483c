"""The calendar floor (pure: no aiogram, no SQLAlchemy, nothing of the project above it).

The calendar file format and its loader, rules turned into dated steps, the school year and the
clock. Everything else in the project may import it; it imports nothing of the project.
"""
