"""The resources part of the JSON API (under /api/resources/)."""

from ninja import Router

router = Router(tags=["resources"])
