"""StatesGroups of multi-step flows, kept apart from the screens that use them."""
