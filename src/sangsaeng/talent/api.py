"""The talent part of the JSON API (under /api/talent/)."""

from ninja import Router

router = Router(tags=["talent"])
