"""The search page's result cards and search panel: markup rendered once per shape and filled in for each page."""
