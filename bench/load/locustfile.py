"""50 people using Sangsaeng at once (bench/load/run.sh starts the server and this).

Each simulated person pauses 1–3 s between requests, like someone reading, and browses
the home page, the directory (organisations, experts, needs) and detail pages; 15% of
requests are searches and 5% post a need as the demo's organisation admin (logged in).
The throughput runs use ``HomePageOnly`` and ``MinimalViewOnly`` (no pauses): the home
page against a minimal Django view (``/health/``) on the same server.
"""

from __future__ import annotations

import random
import re

from locust import HttpUser, between, constant, task

LANGUAGE = "ko"
SEARCHES = [
    "반도체 설계 검증",
    "RISC-V NPU",
    "인공지능 가속기",
    "chiplet packaging",
    "저전력 SoC",
    "EDA 라이선스",
    "autonomous driving perception",
    "GPU 클러스터",
    "analog mixed-signal",
    "시스템 반도체 인력",
]
PASSWORD = "sangsaeng-demo-2024"
POSTER = "orgadmin@sangsaeng.demo.example"


def _links(html: str, prefix: str) -> list[str]:
    return sorted(set(re.findall(rf'href="({re.escape(prefix)}[a-z0-9-]+/)"', html)))


class Visitor(HttpUser):
    wait_time = between(1, 3)

    def on_start(self) -> None:
        self.organisations: list[str] = []
        self.experts: list[str] = []
        self.needs: list[str] = []
        self.logged_in = False

    # --- browsing (80%) ---------------------------------------------------------------
    @task(20)
    def home(self) -> None:
        self.client.get(f"/{LANGUAGE}/", name="home")

    @task(12)
    def organisations_page(self) -> None:
        page = self.client.get(f"/{LANGUAGE}/directory/organisations/", name="directory")
        self.organisations = _links(page.text, f"/{LANGUAGE}/directory/organisations/")

    @task(12)
    def experts_page(self) -> None:
        page = self.client.get(f"/{LANGUAGE}/directory/experts/", name="directory")
        self.experts = _links(page.text, f"/{LANGUAGE}/directory/experts/")

    @task(8)
    def needs_page(self) -> None:
        page = self.client.get(f"/{LANGUAGE}/needs/", name="directory")
        self.needs = sorted(set(re.findall(rf'href="(/{LANGUAGE}/needs/\d+/)"', page.text)))

    @task(28)
    def details(self) -> None:
        choices = [link for link in self.organisations + self.experts + self.needs if link]
        choices = [c for c in choices if not c.endswith(("/new/", "/me/edit/"))]
        if not choices:
            self.organisations_page()
            return
        self.client.get(random.choice(choices), name="details")

    # --- searching (15%) --------------------------------------------------------------
    @task(15)
    def search(self) -> None:
        self.client.get(
            f"/{LANGUAGE}/needs/search/", params={"q": random.choice(SEARCHES)}, name="search"
        )

    # --- posting, logged in (5%) ----------------------------------------------------
    @task(5)
    def post_need(self) -> None:
        if not self.logged_in:
            self._log_in()
        form = self.client.get(f"/{LANGUAGE}/needs/new/", name="post need (form)")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
        organisation = re.search(r'name="organisation"[^>]*>\s*<option value="(\d+)"', form.text)
        if not token or not organisation:
            form.failure("the need form has no CSRF token or organisation")
            return
        number = random.randrange(10**9)
        self.client.post(
            f"/{LANGUAGE}/needs/new/",
            data={
                "csrfmiddlewaretoken": token.group(1),
                "organisation": organisation.group(1),
                "kind": "technology_request",
                "title": f"부하 시험 수요 {number}: 저전력 NPU 검증 파트너",
                "description": "RISC-V 기반 NPU의 기능 검증과 UVM 환경 구축을 함께할 "
                "연구실이나 기업을 찾습니다.",
                "visibility": "public",
            },
            headers={"Referer": f"{self.host}/{LANGUAGE}/needs/new/"},
            name="post need",
        )

    def _log_in(self) -> None:
        page = self.client.get(f"/{LANGUAGE}/accounts/login/", name="log in (form)")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        assert token, "the login page has no CSRF token"
        self.client.post(
            f"/{LANGUAGE}/accounts/login/",
            data={"csrfmiddlewaretoken": token.group(1), "login": POSTER, "password": PASSWORD},
            headers={"Referer": f"{self.host}/{LANGUAGE}/accounts/login/"},
            name="log in",
        )
        self.logged_in = True


class HomePageOnly(HttpUser):
    wait_time = constant(0)

    @task
    def home(self) -> None:
        self.client.get(f"/{LANGUAGE}/", name="home (no pause)")


class MinimalViewOnly(HttpUser):
    wait_time = constant(0)

    @task
    def minimal(self) -> None:
        self.client.get("/health/", name="minimal view (no pause)")
