"""What every mail the platform sends keeps: a subject on one line.

Subjects quote what members typed (an organisation's name, a need's title). A line break
in one would be a header injection, and Django refuses to send it (BadHeaderError), so the
mail would be lost; every subject goes through :func:`mail_subject`.
"""

from __future__ import annotations

MAX_SUBJECT_LENGTH = 200


def mail_subject(text: str) -> str:
    """``text`` with every run of whitespace (line breaks included) made one space."""
    return " ".join(str(text).split())[:MAX_SUBJECT_LENGTH]
