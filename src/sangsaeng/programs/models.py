"""Support programs: the records of the programs app."""
