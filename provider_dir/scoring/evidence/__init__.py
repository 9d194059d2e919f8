"""Evidence for checklist answers: what counts, and the clinic's form to give it."""
