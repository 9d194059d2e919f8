"""The checklist: its items, questions, labels and texts, and loading it from its file."""
