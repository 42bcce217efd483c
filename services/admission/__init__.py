"""The next stage's participant list: sources, preview, import of last year's awards, notices."""
