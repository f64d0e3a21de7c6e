"""The translation table, split by topic: one module per page plus the shared words."""
