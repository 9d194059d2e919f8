"""A clinic's rating figures: aggregation, the Bayesian rating, and keeping them current."""
