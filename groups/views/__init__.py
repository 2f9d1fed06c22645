"""Views of the groups app, one module per sub-domain, each holding the pages of every
area that act on it (public, workspace, district)."""
