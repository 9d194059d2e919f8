"""Reports of listings and reviews from the public, and how moderators handle them."""
