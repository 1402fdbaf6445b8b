"""Plain-Python domain model: no SQLAlchemy, no Qt, no I/O."""
