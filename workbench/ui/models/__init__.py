"""Qt item models over service read models."""
