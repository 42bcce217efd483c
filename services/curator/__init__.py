"""School curators: their school's students, bulk registration, class lists, claim codes."""
