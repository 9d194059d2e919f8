"""Whole public pages kept in memory for visitors who are not signed in, until the data behind them changes."""
