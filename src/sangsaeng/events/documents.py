"""A participant's agenda as a PDF (fpdf2, Nanum Gothic for Korean), as an iCalendar file,
and their check-in QR code (segno).

The PDF needs the Nanum Gothic font from Debian's ``fonts-nanum`` package (``make`` installs
it); without it :class:`FontMissing` says so in words a person can act on.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import icalendar
import segno
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.fonts import FontFace

from sangsaeng.core.links import absolute_url
from sangsaeng.events.models import Event, Participant
from sangsaeng.events.selectors import AgendaRow

FONT_FOLDER = Path("/usr/share/fonts/truetype/nanum")
REGULAR, BOLD = "NanumGothic.ttf", "NanumGothicBold.ttf"


class FontMissing(RuntimeError):
    """The Korean font for PDFs is not installed."""


def font_paths() -> tuple[Path, Path]:
    folder = Path(getattr(settings, "EVENTS_PDF_FONT_DIR", FONT_FOLDER))
    regular, bold = folder / REGULAR, folder / BOLD
    if not regular.is_file():
        raise FontMissing(
            f"The agenda PDF needs the Nanum Gothic font ({regular}): install Debian's "
            "fonts-nanum package (make system-deps does) or set EVENTS_PDF_FONT_DIR."
        )
    return regular, bold if bold.is_file() else regular


# --- the check-in code ------------------------------------------------------------------


def check_in_url(participant: Participant) -> str:
    """The address the organiser's phone opens when it scans the participant's code."""
    return absolute_url(
        reverse("events:check_in", args=[participant.event.slug, participant.check_in_token])
    )


def check_in_svg(participant: Participant) -> str:
    """The QR code as inline SVG (no script, no image file: the site's CSP holds)."""
    code = segno.make(check_in_url(participant), error="m")
    return code.svg_inline(scale=5, dark="#1d2433", title=_("Check-in code"))


def check_in_png(participant: Participant) -> bytes:
    buffer = io.BytesIO()
    segno.make(check_in_url(participant), error="m").save(buffer, kind="png", scale=6, border=2)
    return buffer.getvalue()


# --- the PDF ----------------------------------------------------------------------------


@dataclass
class AgendaLine:
    time: str
    place: str
    partner: str
    organisation: str


def agenda_lines(rows: list[AgendaRow]) -> list[AgendaLine]:
    lines = []
    for row in rows:
        start = timezone.localtime(row.slot.starts_at)
        end = timezone.localtime(row.slot.ends_at)
        time = f"{start:%m-%d %H:%M}–{end:%H:%M}"
        if row.meeting is None or row.partner is None:
            continue
        place = str(row.meeting.location.label)
        if row.meeting.location.is_online:
            place = f"{place}\n{row.meeting.location.link}"
        lines.append(AgendaLine(time, place, row.partner.name, str(row.partner.organisation.name)))
    return lines


def agenda_pdf(participant: Participant, rows: list[AgendaRow]) -> bytes:
    """The participant's meetings with times and table numbers, and their check-in code."""
    regular, bold = font_paths()
    event = participant.event
    pdf = FPDF(format="A4")
    pdf.set_title(f"{event.title} — {participant.name}")
    pdf.set_creator("Sangsaeng")
    pdf.add_font("Nanum", "", str(regular))
    pdf.add_font("Nanum", "B", str(bold))
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.set_font("Nanum", "B", 16)
    pdf.multi_cell(0, 8, event.title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Nanum", "", 11)
    venue = f" · {event.venue}" if event.venue else ""
    pdf.multi_cell(0, 6, f"{event.starts_on:%Y-%m-%d}{venue}", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font("Nanum", "B", 13)
    pdf.multi_cell(
        0,
        7,
        f"{participant.name} · {participant.organisation.name}",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.image(io.BytesIO(check_in_png(participant)), x=pdf.w - 15 - 32, y=15, w=32, h=32)
    pdf.set_font("Nanum", "", 9)
    pdf.set_xy(pdf.w - 15 - 40, 48)
    pdf.multi_cell(40, 4, _("Show this code at the entrance to check in."), align="C")
    pdf.set_xy(pdf.l_margin, max(pdf.get_y(), 60))
    pdf.set_font("Nanum", "", 10)
    lines = agenda_lines(rows)
    if not lines:
        pdf.multi_cell(0, 6, _("No meetings on your agenda."), new_x="LMARGIN", new_y="NEXT")
    else:
        with pdf.table(
            col_widths=(32, 38, 50, 60),
            headings_style=FontFace(emphasis="BOLD", fill_color=(233, 245, 240)),
            line_height=6,
            text_align="LEFT",
        ) as table:
            heading = table.row()
            for title in (_("Time"), _("Table"), _("With"), _("Organisation")):
                heading.cell(title)
            for line in lines:
                row = table.row()
                for value in (line.time, line.place, line.partner, line.organisation):
                    row.cell(value)
    pdf.ln(4)
    pdf.set_font("Nanum", "", 8)
    pdf.multi_cell(
        0,
        4,
        absolute_url(event.get_absolute_url()),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    return bytes(pdf.output())


# --- the calendar -----------------------------------------------------------------------


def agenda_ics(participant: Participant, rows: list[AgendaRow]) -> bytes:
    """One event per meeting, in UTC, with the table (or online link) and the partner."""
    event: Event = participant.event
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Sangsaeng//matchmaking agenda//KO")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{event.title} — {participant.name}")
    calendar.add("x-wr-timezone", "Asia/Seoul")
    for row in rows:
        meeting, partner = row.meeting, row.partner
        if meeting is None or partner is None:
            continue
        entry = icalendar.Event()
        entry.add("uid", f"meeting-{meeting.pk}-{participant.pk}@sangsaeng")
        entry.add("dtstamp", timezone.now())
        entry.add("dtstart", row.slot.starts_at)
        entry.add("dtend", row.slot.ends_at)
        entry.add(
            "summary",
            _("Meeting with %(name)s (%(organisation)s)")
            % {"name": partner.name, "organisation": partner.organisation.name},
        )
        place = str(meeting.location.label)
        if event.venue and not meeting.location.is_online:
            place = f"{place}, {event.venue}"
        entry.add("location", place)
        if meeting.location.is_online:
            entry.add("url", meeting.location.link)
        entry.add("description", f"{event.title}\n{absolute_url(event.get_absolute_url())}")
        calendar.add_component(entry)
    return calendar.to_ical()
