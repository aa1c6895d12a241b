"""Talent: the records of the talent app."""
