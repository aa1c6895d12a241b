from tests.matching.conftest import cluster, korean_need  # noqa: F401  (the matching tests' small cluster)
