"""Retake the README's and the docs' screenshots from a running demo.

Serve the demo first (a throw-away folder; a task worker computes the posted need's matches):

    export SANGSAENG_VAR=/tmp/shot-var
    .venv/bin/python manage.py migrate && .venv/bin/python manage.py load_demo
    .venv/bin/python manage.py runserver 127.0.0.1:8765 --noreload &
    .venv/bin/python manage.py db_worker &
    .venv/bin/python docs/screenshots/take_screenshots.py

It drives Debian's chromium (not a Playwright download) at 1280x800, viewport only, and
posts one need as the demo organisation admin to show suggested matches.
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import Page, expect, sync_playwright

BASE = "http://127.0.0.1:8765"
FOLDER = Path(__file__).resolve().parent
ORG_ADMIN = ("orgadmin@sangsaeng.demo.example", "sangsaeng-demo-2024")
FLAGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-dev-shm-usage"]
NEED_TITLE = "RISC-V 벡터 확장 NPU의 형식 검증 자문을 구합니다"
NEED_DESCRIPTION = (
    "자사 RISC-V 벡터 확장 기반 NPU의 형식 검증(formal verification)과 UVM 커버리지 "
    "클로저를 자문해 줄 연구자를 찾습니다. 테이프아웃 전 3개월간의 협업을 생각합니다."
)


def shoot(page: Page, name: str) -> None:
    path = FOLDER / name
    page.screenshot(path=str(path))
    print(f"{path.relative_to(FOLDER.parent.parent)}: {path.stat().st_size // 1024} KB")


def log_in(page: Page, email: str, password: str) -> None:
    page.goto(f"{BASE}/ko/accounts/login/")
    page.locator("input[type=email], input[name=login]").first.fill(email)
    page.locator("input[type=password]").first.fill(password)
    page.locator("form").filter(has=page.locator("input[type=password]")).locator(
        "button[type=submit]"
    ).click()
    expect(page.get_by_role("button", name="로그아웃")).to_be_visible()


def posted_need(page: Page) -> str:
    """The demo admin's need (posted once, found again on later runs), matched."""
    page.goto(f"{BASE}/ko/needs/?mine=1")
    existing = page.get_by_role("link", name=NEED_TITLE)
    if existing.count():
        existing.first.click()
    else:
        page.goto(f"{BASE}/ko/needs/new/")
        form = page.locator("#need-form")
        form.locator("#id_kind").select_option("partner_search")
        form.locator("#id_title").fill(NEED_TITLE)
        form.locator("#id_description").fill(NEED_DESCRIPTION)
        form.locator("#need-submit").click()
    # The progress poller reloads the page once the worker has finished the run.
    expect(page.locator("#suggestions li.suggestion").first).to_be_visible(timeout=120_000)
    expect(page.locator("#matching-progress")).to_have_count(0)
    return page.url


def main() -> int:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
        context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="ko-KR")
        page = context.new_page()

        page.goto(f"{BASE}/ko/")
        shoot(page, "home-ko.png")

        page.goto(f"{BASE}/en/directory/organisations/")
        shoot(page, "organisations-en.png")

        page.goto(f"{BASE}/ko/directory/experts/")
        page.locator("main .card a.card-title").first.click()
        expect(page.locator("main h1")).not_to_have_text("전문가")
        shoot(page, "expert-ko.png")

        page.goto(f"{BASE}/ko/directory/agreements/seongnam-sejong-ai-cluster-mou/")
        shoot(page, "agreement-ko.png")

        log_in(page, *ORG_ADMIN)
        posted_need(page)
        # The need's title and text on top, the first row of suggestions below them.
        page.locator("main .breadcrumb").evaluate("crumb => crumb.scrollIntoView()")
        shoot(page, "need-matches-ko.png")
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
