"""Parents and their children: link codes, links, unlinking."""
