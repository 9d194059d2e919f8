"""A person's own account settings: email and password changes, and the pages for them."""
