"""The core flows in Chromium, at a desktop's width and a phone's; a screenshot of each page is kept."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.pages.browser.conftest import WIDTHS, Site, has_no_sideways_scroll, log_in, new_page, shoot

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("screen", ["desktop", "phone"])
def test_log_in_book_a_free_desk_on_the_map_and_see_it_as_mine(browser: Any, site: Site, screen: str) -> None:
    page = new_page(browser, width=WIDTHS[screen])
    day = "2026-04-02" if screen == "desktop" else "2026-04-03"  # one desk per person at a time
    log_in(page, site, "tanaka", then=f"/book?date={day}&slot=am")
    assert page.locator("h1").inner_text() == "Book a desk"
    shoot(page, site, f"book-{screen}")
    assert has_no_sideways_scroll(page)
    desk = "1F-D3" if screen == "desktop" else "1F-D4"
    link = page.locator(f".floor-map a:has(#desk-{desk})")
    assert "free" in (link.get_attribute("aria-label") or "")
    link.click()
    page.wait_for_url(re.compile(r"/desks/\d+\?"))
    shoot(page, site, f"desk-{screen}")
    assert has_no_sideways_scroll(page)
    page.get_by_role("button", name=re.compile("Book this desk")).click()
    page.wait_for_url(re.compile(r"/book\?.*done="))
    assert f"Booked: desk {desk}" in page.locator("p.notice").inner_text()
    assert "mine" in (page.locator(f"#desk-{desk}").get_attribute("class") or "")
    shoot(page, site, f"booked-{screen}")
    page.context.close()


def test_desks_are_links_a_keyboard_reaches(browser: Any, site: Site) -> None:
    page = new_page(browser)
    log_in(page, site, "sato", then="/book?date=2026-04-01")
    page.locator(".floor-map a").first.focus()
    focused = page.evaluate("document.activeElement.getAttribute('aria-label')")
    assert focused.startswith("Desk 1F-D1: free")
    outline = page.evaluate("getComputedStyle(document.activeElement.querySelector('.desk')).strokeWidth")
    assert float(outline.removesuffix("px")) >= 3  # a visible focus ring on the desk itself
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('aria-label')").startswith("Desk 1F-D2")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/desks/\d+"))
    page.context.close()


def test_a_taken_desk_says_why_and_a_late_booking_is_refused(browser: Any, site: Site) -> None:
    page = new_page(browser)
    log_in(page, site, "sato", then="/book?date=2026-04-01")
    page.locator(".floor-map a:has(#desk-1F-D2)").click()
    page.wait_for_url(re.compile(r"/desks/"))
    body = page.locator("main").inner_text().replace("\u202f", " ")
    assert "booked 8:30 AM – 5:15 PM by 田中 一郎" in body
    assert page.get_by_role("button", name=re.compile("Book this desk")).count() == 0
    shoot(page, site, "desk-taken")
    # a desk that someone else books while this page is open
    page.goto(f"{site.url}/desks/{site.desks['1F-D1']}?date=2026-04-01&slot=full")
    other = new_page(browser)
    log_in(other, site, "admin", then=f"/desks/{site.desks['1F-D1']}?date=2026-04-01&slot=pm")
    other.get_by_role("button", name=re.compile("Book this desk")).click()
    other.wait_for_url(re.compile(r"done="))
    page.get_by_role("button", name=re.compile("Book this desk")).click()
    alert = page.locator("[role=alert]").inner_text().replace("\u202f", " ")
    assert "Desk 1F-D1 is already booked by 施設 管理者" in alert
    shoot(page, site, "desk-refused")
    page.context.close()
    other.context.close()


def test_cancel_a_booking(browser: Any, site: Site) -> None:
    page = new_page(browser, width=WIDTHS["phone"])
    log_in(page, site, "sato", then="/mine")
    shoot(page, site, "mine-phone")
    assert has_no_sideways_scroll(page)
    booking = page.locator("li.booking", has_text="1F-D6")
    booking.get_by_role("button", name=re.compile("Cancel")).click()
    page.wait_for_url(re.compile(r"done=cancelled"))
    assert page.locator("p.notice").inner_text() == "The booking is cancelled."
    assert page.locator("li.booking", has_text="1F-D6").count() == 0
    page.context.close()


def test_check_in_through_a_desks_qr_address(browser: Any, site: Site) -> None:
    page = new_page(browser, width=WIDTHS["phone"])
    page.goto(f"{site.url}/desks/{site.desks['1F-D5']}/check-in")
    assert "/login?next=" in page.url  # logged out: the login page first, then back
    page.fill("#username", "sato")
    page.fill("#password", "correct horse battery")
    page.click("form.stack button[type=submit]")
    page.wait_for_url(re.compile(r"/check-in$"))
    shoot(page, site, "check-in-phone")
    page.get_by_role("button", name="Check in now").click()
    result = page.locator("p.notice").inner_text().replace("\u202f", " ")
    assert "Checked in at desk 1F-D5 at 9:00 AM." in result
    shoot(page, site, "checked-in-phone")
    assert has_no_sideways_scroll(page)
    page.context.close()


def test_switch_language(browser: Any, site: Site) -> None:
    page = new_page(browser)
    log_in(page, site, "sato", then="/book?date=2026-04-01")
    page.get_by_role("link", name="日本語").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "ja"
    assert page.locator("h1").inner_text() == "座席を予約"
    assert "2026年4月1日(水)" in page.locator(".summary").inner_text()
    shoot(page, site, "book-ja")
    page.goto(f"{site.url}/mine")
    assert page.locator("h1").inner_text() == "自分の予約"  # remembered
    page.get_by_role("link", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    page.context.close()


@pytest.mark.parametrize("path", ["/team", "/admin", "/admin/desks", "/admin/rules", "/admin/people"])
def test_other_pages_fit_a_phone(browser: Any, site: Site, path: str) -> None:
    page = new_page(browser, width=WIDTHS["phone"])
    log_in(page, site, "admin", then=path)
    shoot(page, site, "phone" + path.replace("/", "-"))
    assert has_no_sideways_scroll(page)
    page.context.close()


def test_htmx_redraws_the_map_in_place(browser: Any, site: Site) -> None:
    page = new_page(browser)
    log_in(page, site, "sato", then="/book?date=2026-04-01")
    page.evaluate("window.sameDocument = true")
    page.select_option("#floor", label="2F")
    page.wait_for_function("document.querySelector('.summary').innerText.includes('2F')")
    assert page.evaluate("window.sameDocument === true")  # no reload: htmx swapped the map and the list
    assert re.search(r"[?&]floor=\d+", page.url)  # and the address says what is shown
    assert page.locator("#desk-2F-D1").count() == 1
    page.context.close()


def test_a_phone_can_enlarge_the_map_inside_its_frame(browser: Any, site: Site) -> None:
    page = new_page(browser, width=WIDTHS["phone"])
    log_in(page, site, "sato", then="/book?date=2026-04-01")
    desk = page.locator("#desk-1F-D1")
    small = desk.bounding_box()["width"]
    page.check("#map-zoom")
    assert desk.bounding_box()["width"] > 2 * small  # desks big enough to tap
    assert page.evaluate(
        "document.querySelector('.map-frame').scrollWidth > document.querySelector('.map-frame').clientWidth"
    )
    assert has_no_sideways_scroll(page)  # the frame scrolls, not the page
    shoot(page, site, "book-phone-larger-map")
    page.context.close()
