"""Creating and editing a listing: the forms, screening for claims, and the pages."""
