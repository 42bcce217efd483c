"""The panel of the Mini App: what coordinators and curators see, read in one query each."""
