"""The consents a student gives for their talent profile, with the text of each version.

A consent text is part of the record of what a student agreed to (Korea's Personal
Information Protection Act asks for it): a changed text is a new version, and the
:class:`~sangsaeng.talent.models.ConsentRecord` names the version that was shown.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from sangsaeng.core.i18n import localized
from sangsaeng.talent.models import ConsentRecord

Purpose = ConsentRecord.Purpose

# Personal data of a finished round is removed this many days after it closes, unless the
# setting TALENT_RETENTION_DAYS says otherwise (the consent text names the default).
DEFAULT_RETENTION_DAYS = 365


@dataclass(frozen=True)
class ConsentText:
    purpose: str
    version: str
    text_ko: str
    text_en: str

    @property
    def text(self) -> str:
        return localized(self.text_ko, self.text_en)


CURRENT: dict[str, ConsentText] = {
    Purpose.PROFILE: ConsentText(
        Purpose.PROFILE,
        "2026-01",
        "상생 플랫폼이 나의 학생 프로필(이름, 소속, 전공, 졸업 예정 연도, 기술, 수강 이력, 이력서, "
        "참여 가능 기간)을 교육 과정 수강 신청과 현장실습·채용 배정 라운드 운영에 이용하는 데 "
        "동의합니다. 내가 수강 신청한 과정의 운영 기관과, 내가 지원(순위 제출)한 공고의 기업은 "
        "이 프로필을 볼 수 있습니다. 프로필은 내가 삭제할 때까지 보관하며, 끝난 라운드의 순위와 "
        "결과 중 개인정보는 라운드 종료 후 365일이 지나면 삭제합니다. 동의는 언제든 철회할 수 "
        "있으며, 철회하면 프로필을 삭제합니다.",
        "I agree that the Sangsaeng platform uses my student profile (name, university, study "
        "programme, graduation year, skills, courses, CV and availability) to enrol me in "
        "courses and to run the placement rounds I join. The providers of the courses I enrol "
        "in, and the companies whose openings I rank, may see this profile. It is kept until I "
        "delete it; my rankings and results in a finished round are removed 365 days after the "
        "round closes. I may withdraw this consent at any time, which deletes the profile.",
    ),
    Purpose.COMPANIES: ConsentText(
        Purpose.COMPANIES,
        "2026-01",
        "공고를 낸 클러스터 기업이 나의 학생 프로필(이름, 소속, 전공, 기술, 수강 이력, 이력서, "
        "참여 가능 기간)을 보고 자사 공고에 맞는 학생으로 순위를 매길 수 있도록 동의합니다. "
        "이메일과 전화번호는 보여 주지 않습니다. 이 동의는 언제든 철회할 수 있으며, 철회하면 "
        "기업은 내가 지원하지 않은 공고에서 더 이상 나를 볼 수 없습니다.",
        "I agree that the cluster's companies with openings may see my student profile (name, "
        "university, study programme, skills, courses, CV and availability) and rank me for "
        "their openings. My e-mail address and phone number are not shown. I may withdraw this "
        "consent at any time; companies then no longer see me for openings I did not rank.",
    ),
}


def current_text(purpose: str) -> ConsentText:
    return CURRENT[purpose]


def retention_days() -> int:
    """Days after a round closes before its personal data is removed."""
    return int(getattr(settings, "TALENT_RETENTION_DAYS", DEFAULT_RETENTION_DAYS))
