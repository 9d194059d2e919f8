"""The search index's derived columns (cell, x, y, z) and what keeps them current."""
