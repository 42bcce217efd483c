"""ФИС ОКО-style data collections (seed 004): opening, states, monitoring, the report."""
