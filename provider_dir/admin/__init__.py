"""Account administration: admins search accounts, change roles, deactivate and reactivate them."""
