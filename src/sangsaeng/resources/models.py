"""Shared infrastructure: the records of the resources app."""
