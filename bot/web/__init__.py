"""The process's one web server: the Mini App, and the routes other features add to it."""
