"""Matchmaking events: the records of the events app."""
