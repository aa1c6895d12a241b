"""A completion certificate as a PDF, in Korean and English on one page.

Drawn with fpdf2 in Nanum Gothic (Debian's ``fonts-nanum``; ``make system-deps`` installs
it), with the verification code in words and as a QR code of the public check page's
address. The certificate says what it said on the day it was issued (its own copy of the
names and the title).
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import segno
from django.urls import reverse
from django.utils import timezone, translation
from fpdf import FPDF

from sangsaeng.core.links import absolute_url
from sangsaeng.talent.models import Certificate

FONT_DIRS = (
    Path(os.environ.get("SANGSAENG_FONT_DIR", "/usr/share/fonts/truetype/nanum")),
    Path("/usr/share/fonts/truetype/nanum"),
    Path("/usr/local/share/fonts/nanum"),
)
REGULAR, BOLD = "NanumGothic.ttf", "NanumGothicBold.ttf"


class FontMissing(RuntimeError):
    """Nanum Gothic is not installed, so Korean text cannot be drawn."""


def font_path(name: str) -> Path:
    for folder in FONT_DIRS:
        candidate = folder / name
        if candidate.is_file():
            return candidate
    raise FontMissing(
        f"The Korean font {name} was not found in {', '.join(map(str, FONT_DIRS))}. "
        "Install Debian's fonts-nanum package (apt-get install fonts-nanum, or make "
        "system-deps), or set SANGSAENG_FONT_DIR to a folder holding NanumGothic.ttf."
    )


def verification_url(certificate: Certificate, language: str) -> str:
    with translation.override(language):
        path = reverse("talent:certificate_verify")
    return absolute_url(f"{path}?code={certificate.code}")


def _date_ko(value: object) -> str:
    return f"{value.year}년 {value.month}월 {value.day}일"  # type: ignore[attr-defined]


def _date_en(value: object) -> str:
    return value.strftime("%-d %B %Y")  # type: ignore[attr-defined]


def render_pdf(certificate: Certificate) -> bytes:
    """The certificate's PDF (A4 landscape)."""
    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.set_title(f"Certificate {certificate.code}")
    pdf.set_creator("Sangsaeng")
    pdf.add_font("Nanum", "", str(font_path(REGULAR)))
    pdf.add_font("Nanum", "B", str(font_path(BOLD)))
    pdf.set_auto_page_break(False)
    pdf.add_page()
    width = pdf.w - 40
    pdf.set_draw_color(40, 70, 120)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, pdf.w - 20, pdf.h - 20)
    pdf.set_line_width(0.3)
    pdf.rect(13, 13, pdf.w - 26, pdf.h - 26)

    def line(text: str, size: float, style: str = "", height: float = 9, gap: float = 0) -> None:
        pdf.set_font("Nanum", style, size)
        pdf.set_x(20)
        pdf.multi_cell(width, height, text, align="C")
        if gap:
            pdf.ln(gap)

    holder_ko = certificate.holder_name_ko or certificate.holder_name_en
    holder_en = certificate.holder_name_en or certificate.holder_name_ko
    title_en = certificate.course_title_en or certificate.course_title_ko
    provider_en = certificate.provider_name_en or certificate.provider_name_ko
    hours = certificate.hours

    pdf.set_y(26)
    line("수료증", 30, "B", 14)
    line("Certificate of Completion", 16, "", 9, 8)
    line(holder_ko, 22, "B", 11)
    if holder_en != holder_ko:
        line(holder_en, 14, "", 8)
    pdf.ln(5)
    hours_ko = f"({hours}시간)" if hours else ""
    line(
        f"위 사람은 {certificate.provider_name_ko}에서 운영한 「{certificate.course_title_ko}」 "
        f"과정{hours_ko}을 {_date_ko(certificate.completed_on)} 수료하였음을 증명합니다.",
        13,
        "",
        8,
        3,
    )
    hours_en = f" ({hours} hours)" if hours else ""
    line(
        f"This certifies that the above completed “{title_en}”{hours_en}, "
        f"run by {provider_en}, on {_date_en(certificate.completed_on)}.",
        11,
        "",
        7,
        8,
    )
    line(certificate.provider_name_ko, 15, "B", 8)
    if provider_en != certificate.provider_name_ko:
        line(provider_en, 11, "", 7)

    url_ko = verification_url(certificate, "ko")
    qr = segno.make(url_ko, error="m")
    image = io.BytesIO()
    qr.save(image, kind="png", scale=6, border=1)
    image.seek(0)
    size = 30
    x, y = pdf.w - 20 - size, pdf.h - 20 - size
    pdf.image(image, x=x, y=y, w=size, h=size)
    pdf.set_font("Nanum", "", 9)
    pdf.set_xy(20, y + 2)
    pdf.multi_cell(
        x - 25,
        5,
        f"확인 코드 Verification code: {certificate.code}\n"
        f"진위 확인 Check it at: {url_ko}\n"
        f"발급 Issued: {_date_ko(timezone.localtime(certificate.issued_at))} · 상생 Sangsaeng",
        align="L",
    )
    return bytes(pdf.output())
