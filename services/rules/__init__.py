"""Pure rules of the domain: no I/O, `now` and `today` are always passed in."""
