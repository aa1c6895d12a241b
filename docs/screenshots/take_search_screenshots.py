"""Retake issue 9's "after" screenshots of the search and matches pages in Korean.

Serve the demo first (a throw-away folder), as for take_screenshots.py:

    export SANGSAENG_VAR=/tmp/shot-var
    .venv/bin/python manage.py migrate && .venv/bin/python manage.py load_demo
    .venv/bin/python manage.py runserver 127.0.0.1:8765 --noreload &
    .venv/bin/python docs/screenshots/take_search_screenshots.py

Full pages at 1280 px in Debian's chromium: the search page for "세종" and "RISC-V 검증" as
a visitor, and the demo organisation admin's need "RISC-V NPU 서브시스템 검증 파트너를
찾습니다" with its suggested matches. The "before" pictures (commit 2a5abab) were taken the
same way before the search work.
"""

from __future__ import annotations

import sys

from playwright.sync_api import expect, sync_playwright
from take_screenshots import BASE, FLAGS, FOLDER, ORG_ADMIN, log_in

NEED_TITLE = "RISC-V NPU 서브시스템 검증 파트너를 찾습니다"
SEARCHES = {
    "search-sejong-after.png": "세종",
    "search-risc-v-verification-after.png": "RISC-V 검증",
}


def main() -> int:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
        context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="ko-KR")
        page = context.new_page()
        for name, words in SEARCHES.items():
            page.goto(f"{BASE}/ko/search/?q={words}")
            expect(page.locator("#result-count")).to_be_visible()
            page.screenshot(path=str(FOLDER / name), full_page=True)
            print(f"docs/screenshots/{name}")
        log_in(page, *ORG_ADMIN)
        page.goto(f"{BASE}/ko/needs/?mine=1")
        page.get_by_role("link", name=NEED_TITLE).first.click()
        expect(page.locator("#suggestions li.suggestion").first).to_be_visible()
        page.screenshot(path=str(FOLDER / "matches-after.png"), full_page=True)
        print("docs/screenshots/matches-after.png")
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
