"""iCalendar feeds (RFC 5545, with the ``icalendar`` library) of bookings.

A feed shows what its user may see: their organisation's bookings with the resource, the
organisation and the purpose; other organisations' bookings of a resource as "Busy" only.
"""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from sangsaeng.core.links import absolute_url
from sangsaeng.resources.selectors import Slot

PRODUCT = "-//Sangsaeng//Shared infrastructure//KO"


def feed_calendar(name: str, slots: list[Slot], *, resource_name: str = "") -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Asia/Seoul")
    stamp = datetime.datetime.now(datetime.UTC)
    for number, slot in enumerate(slots):
        event = Event()
        event.add("dtstamp", stamp)
        event.add("dtstart", slot.start.astimezone(datetime.UTC))
        event.add("dtend", slot.end.astimezone(datetime.UTC))
        booking = slot.booking
        if booking is not None:
            event.add("uid", f"booking-{booking.pk}@sangsaeng")
            event.add("summary", f"{booking.resource.name} · {booking.organisation.name}")
            description = [
                _("Units: %(units)s") % {"units": booking.units},
                _("State: %(state)s") % {"state": booking.get_state_display()},
            ]
            if booking.purpose:
                description.append(booking.purpose)
            description.append(absolute_url(booking.get_absolute_url()))
            event.add("description", "\n".join(description))
            event.add("location", booking.resource.location)
            event.add(
                "status", "CONFIRMED" if booking.state == booking.State.CONFIRMED else "TENTATIVE"
            )
        else:
            # Another organisation's booking: busy, and nothing that tells whose.
            event.add("uid", f"busy-{slot.start.timestamp():.0f}-{number}@sangsaeng")
            summary = _("Busy")
            event.add("summary", f"{resource_name} · {summary}" if resource_name else summary)
            event.add("transp", "OPAQUE")
        calendar.add_component(event)
    return calendar.to_ical()
