"""One module per rule family; each exposes ``run(ctx)`` and reports through the context."""
