"""The programs part of the JSON API (under /api/programs/)."""

from ninja import Router

router = Router(tags=["programs"])
