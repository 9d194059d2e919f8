"""Registry checks: the rules, where they read NPPES (file or API), name matching, the runner and re-queueing."""
