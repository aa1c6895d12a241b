"""The events part of the JSON API (under /api/events/)."""

from ninja import Router

router = Router(tags=["events"])
