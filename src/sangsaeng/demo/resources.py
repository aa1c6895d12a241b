"""Demo shared infrastructure: GPU servers, EDA licences, lab equipment and an MPW run.

Sejong University's GPU cluster (four 8-GPU nodes), the cluster office's EDA licence pools
(digital implementation, analogue simulation, verification), a probe station and FPGA boards
at KETI, and an MPW shuttle run asked for more area than it has; six months of past bookings
and the coming two weeks' so that the week grids and the utilisation charts show something.
The providers are real institutions; every resource, booking and request here is fictional
(marked so). Resources go through the service; the thousands of generated bookings are
checked against capacity here and written with ``bulk_create`` (a service call each would
make the demo slow to load). Idempotent: a second call finds the marker resource and returns.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from sangsaeng.accounts.models import Membership, User
from sangsaeng.directory.models import Organisation
from sangsaeng.resources.models import Booking, Resource, ShuttleRequest
from sangsaeng.resources.services import resource_create
from sangsaeng.resources.slots import SEOUL, Hold, peak

MARKER = "sejong-gpu-node-1"
HISTORY_DAYS = 185
AHEAD_DAYS = 14
PURPOSES = (
    "NPU 모델 학습",
    "LLM fine-tuning for an on-device assistant",
    "타이밍 클로저",
    "Post-layout simulation of a 12-bit SAR ADC",
    "UVM regression",
    "웨이퍼 프로빙",
    "FPGA prototyping of a RISC-V SoC",
    "전력 분석",
)


def _resources(operator: User | None, providers: dict[str, Organisation]) -> list[Resource]:
    always = {"opens_at": None, "closes_at": None, "open_weekdays": "0123456"}
    office_hours = {
        "opens_at": datetime.time(9),
        "closes_at": datetime.time(18),
        "open_weekdays": "01234",
    }
    specs: list[dict[str, Any]] = []
    for number in range(1, 5):
        specs.append(
            {
                "provider": providers["sejong-university"],
                "slug": f"sejong-gpu-node-{number}",
                "kind": Resource.Kind.COMPUTE_NODE,
                "category": Resource.Category.GPU,
                "name_ko": f"세종대 AI 클러스터 GPU 노드 {number}",
                "name_en": f"Sejong AI cluster GPU node {number}",
                "description_ko": "NVIDIA H100 8장을 갖춘 학습 서버(가상의 데모 자원).",
                "description_en": "A training server with eight NVIDIA H100 GPUs "
                "(a fictional demo resource).",
                "location_ko": "세종대학교 AI센터 서버실",
                "location_en": "Sejong University AI Center, server room",
                "capacity": 8,
                "max_booking_hours": 72,
                "credits_per_unit_hour": Decimal(3),
                "monthly_quota": Decimal(6000),
                "cancellation_hours": 2,
                **always,
            }
        )
    pools = (
        ("office-eda-digital", "eda_digital", "디지털 설계(P&R) 라이선스",
         "Digital implementation (P&R) licences", 20, 5),
        ("office-eda-analogue", "eda_analogue", "아날로그 회로 시뮬레이터 라이선스",
         "Analogue circuit simulator licences", 10, 4),
        ("office-eda-verification", "eda_verification", "검증(시뮬레이션·포멀) 라이선스",
         "Verification (simulation and formal) licences", 8, 4),
    )  # fmt: skip
    for slug, category, name_ko, name_en, seats, credits in pools:
        specs.append(
            {
                "provider": providers["seongnam-city"],
                "slug": slug,
                "kind": Resource.Kind.LICENCE_POOL,
                "category": category,
                "name_ko": f"클러스터 사무국 {name_ko}",
                "name_en": f"Cluster office {name_en}",
                "description_ko": "클러스터 회원사가 함께 쓰는 EDA 라이선스 풀(가상의 데모 자원).",
                "description_en": "An EDA licence pool the cluster's members share "
                "(a fictional demo resource).",
                "location_ko": "원격 라이선스 서버",
                "location_en": "Remote licence server",
                "capacity": seats,
                "max_booking_hours": 12,
                "credits_per_unit_hour": Decimal(credits),
                "monthly_quota": Decimal(2000),
                "allowed_kinds": ["company", "university", "research_institute"],
                **always,
            }
        )
    specs.append(
        {
            "provider": providers["keti"],
            "slug": "keti-probe-station",
            "kind": Resource.Kind.EQUIPMENT,
            "category": Resource.Category.PROBE_STATION,
            "name_ko": "KETI 반자동 프로브 스테이션",
            "name_en": "KETI semi-automatic probe station",
            "description_ko": "웨이퍼 수준 전기 특성 측정(가상의 데모 자원). 승인 후 사용.",
            "description_en": "Wafer-level electrical characterisation (a fictional demo "
            "resource). Bookings need approval.",
            "location_ko": "KETI 분당 본원 측정실 B102",
            "location_en": "KETI Bundang, measurement lab B102",
            "needs_approval": True,
            "max_booking_hours": 4,
            "lead_time_hours": 24,
            "cancellation_hours": 24,
            "credits_per_unit_hour": Decimal(20),
            **office_hours,
        }
    )
    for number in range(1, 4):
        specs.append(
            {
                "provider": providers["keti"],
                "slug": f"keti-fpga-board-{number}",
                "kind": Resource.Kind.EQUIPMENT,
                "category": Resource.Category.FPGA,
                "name_ko": f"KETI FPGA 프로토타이핑 보드 {number}",
                "name_en": f"KETI FPGA prototyping board {number}",
                "description_ko": "대형 FPGA 보드(가상의 데모 자원).",
                "description_en": "A large FPGA prototyping board (a fictional demo resource).",
                "location_ko": "KETI 분당 본원 시제품실",
                "location_en": "KETI Bundang, prototyping lab",
                "max_booking_hours": 9,
                "credits_per_unit_hour": Decimal(6),
                **office_hours,
            }
        )
    today = timezone.localdate()
    specs.append(
        {
            "provider": providers["seongnam-city"],
            "slug": "seongnam-mpw-2027-1",
            "kind": Resource.Kind.MPW_RUN,
            "category": Resource.Category.MPW,
            "name_ko": "성남 팹리스 MPW 셔틀 (28nm)",
            "name_en": "Seongnam fabless MPW shuttle (28nm)",
            "description_ko": "클러스터 회원사의 시제품 칩을 한 웨이퍼에 모아 제작합니다"
            "(가상의 데모 자원).",
            "description_en": "Prototype chips of the cluster's members on one shared wafer "
            "(a fictional demo resource).",
            "tape_out_date": today + datetime.timedelta(days=60),
            "request_deadline": datetime.datetime.combine(
                today + datetime.timedelta(days=21), datetime.time(18), SEOUL
            ),
            "total_area_mm2": Decimal(100),
            "min_block_mm2": Decimal(4),
            "max_block_mm2": Decimal(25),
            "price_per_mm2": Decimal(1_500_000),
            "organisation_share": Decimal("0.3"),
            "max_booking_hours": 1,
        }
    )
    return [
        resource_create(actor=operator, is_fictional=True, **spec)  # type: ignore[arg-type]
        for spec in specs
    ]


def _bookings(
    resources: list[Resource], bookers: list[tuple[Organisation, User | None]], rng: random.Random
) -> list[Booking]:
    now = timezone.now()
    today = timezone.localdate()
    made: list[Booking] = []
    for resource in resources:
        if resource.is_mpw:
            continue
        held: list[Hold] = []
        for offset in range(-HISTORY_DAYS, AHEAD_DAYS):
            day = today + datetime.timedelta(days=offset)
            if str(day.weekday()) not in resource.open_weekdays:
                continue
            busy_day = 0.5 + 0.35 * (offset + HISTORY_DAYS) / (HISTORY_DAYS + AHEAD_DAYS)
            for _attempt in range(3 if resource.capacity > 1 else 2):
                if rng.random() > busy_day:
                    continue
                if resource.always_open:
                    hour = rng.choice([0, 8, 9, 10, 13, 14, 20])
                    hours = rng.choice([2, 4, 6, 8, 12])
                else:
                    hour = rng.choice([9, 10, 13, 14])
                    hours = rng.choice([2, 3, 4])
                hours = min(hours, resource.max_booking_hours)
                start = datetime.datetime.combine(day, datetime.time(hour), SEOUL)
                end = start + datetime.timedelta(hours=hours)
                if resource.closes_at is not None:
                    end = min(end, datetime.datetime.combine(day, resource.closes_at, SEOUL))
                units = 1 if resource.is_unit else rng.randint(1, max(1, resource.capacity // 2))
                if end <= start or peak(held, start, end) + units > resource.capacity:
                    continue
                if start < now + datetime.timedelta(hours=resource.lead_time_hours) and end > now:
                    continue
                held.append(Hold(start, end, units))
                organisation, user = rng.choice(bookers)
                hours_booked = Decimal((end - start).total_seconds()) / 3600
                state = Booking.State.CONFIRMED
                if start > now and resource.needs_approval and rng.random() < 0.5:
                    state = Booking.State.REQUESTED
                made.append(
                    Booking(
                        resource=resource,
                        organisation=organisation,
                        booked_by=user,
                        start=start,
                        end=end,
                        units=units,
                        exclusive=resource.is_unit,
                        state=state,
                        purpose=rng.choice(PURPOSES),
                        credits=(resource.credits_per_unit_hour * units * hours_booked).quantize(
                            Decimal("0.01")
                        ),
                        is_fictional=True,
                    )
                )
    return made


def _shuttle_requests(
    run: Resource, bookers: list[tuple[Organisation, User | None]], rng: random.Random
) -> list[ShuttleRequest]:
    designs = (
        "NPU-Lite", "SAR-ADC-12b", "RISC-V-MCU", "PMIC-LDO", "SerDes-16G", "ISP-Edge",
        "BLE-SoC", "Chiplet-PHY", "Sensor-AFE", "PLL-5G", "SRAM-CIM", "Crypto-Core",
        "Vision-DSP", "UWB-Radio",
    )  # fmt: skip
    requests = []
    for number, design in enumerate(designs):
        organisation, user = bookers[number % len(bookers)]
        area = Decimal(rng.choice([6, 8, 10, 12, 15, 18, 20, 24]))
        minimum = None if rng.random() < 0.3 else (area * Decimal("0.6")).quantize(Decimal("0.1"))
        requests.append(
            ShuttleRequest(
                run=run,
                organisation=organisation,
                requested_by=user,
                design=design,
                area_mm2=area,
                min_block_mm2=max(minimum, run.min_block_mm2) if minimum else None,  # type: ignore[type-var]
                priority=Decimal(rng.choice([1, 1, 1, 2, 3])),
                is_fictional=True,
            )
        )
    return requests


def load(seed: int) -> int:
    """Load the demo infrastructure; returns how many records it added (0 when present)."""
    if Resource.objects.filter(slug=MARKER).exists():
        return 0
    slugs = ("sejong-university", "seongnam-city", "keti")
    providers = {o.slug: o for o in Organisation.objects.filter(slug__in=slugs)}
    if len(providers) < len(slugs):
        return 0
    operator = User.objects.filter(is_operator=True).order_by("pk").first()
    rng = random.Random(seed)
    companies = list(
        Organisation.objects.filter(
            is_fictional=True, kind=Organisation.Kind.COMPANY, status=Organisation.Status.APPROVED
        ).order_by("pk")[:16]
    )
    admins = {
        m.organisation_id: m.user
        for m in Membership.objects.filter(organisation__in=companies).select_related("user")
    }
    bookers = [(company, admins.get(company.pk)) for company in companies]
    bookers.append((providers["sejong-university"], None))
    with transaction.atomic():
        resources = _resources(operator, providers)
        bookings = _bookings(resources, bookers, rng)
        Booking.objects.bulk_create(bookings, batch_size=1000)
        run = next(resource for resource in resources if resource.is_mpw)
        requests = _shuttle_requests(run, bookers[:-1], rng)
        ShuttleRequest.objects.bulk_create(requests)
    return len(resources) + len(bookings) + len(requests)
