from tests.matching.conftest import cluster  # noqa: F401  (the small cluster of the matching tests)
