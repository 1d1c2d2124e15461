"""The desk end to end in a real Chromium: a worker without an account writes in Vietnamese with a
photo; a consultant signs in with two factors, finds it in their routed queue, acknowledges and
replies; the worker comes back on another phone with the receipt code and PIN, reads and answers;
the case goes through guiding support to resolved and closed, and the worker says it helped."""

import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from PIL import Image
from playwright.sync_api import Browser, BrowserContext, Page

from conftest import screenshot, sign_in_with_two_factors
from koe.cases.models import Case, CaseStatus, Message
from koe.core.testing.personas import Personas

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PIN = "602418"


def photo(tmp_path: Path) -> Path:
    path = tmp_path / "payslip.jpg"
    Image.new("RGB", (640, 480), (200, 180, 160)).save(path, "JPEG")
    return path


def worker_sends(page: Page, base: str, tmp_path: Path) -> str:
    page.goto(f"{base}/vi/consult/")
    page.fill("textarea[name=account]", "Công ty giữ hộ chiếu của tôi và không trả lương tháng này.")
    page.check("input[name=contact_method][value=none]")
    page.set_input_files("input[name=attachments]", str(photo(tmp_path)))
    page.fill("input[name=pin]", PIN)
    page.fill("input[name=pin_again]", PIN)
    page.locator("main form button[type=submit]").click()
    screenshot(page, "desk-flow-receipt-vi-360")
    return re.sub(r"\D", "", page.inner_text("main .code"))


def consultant_signs_in(browser: Browser, base: str, personas: Personas) -> Page:
    context = browser.new_context(viewport={"width": 1024, "height": 800}, bypass_csp=True)
    page = context.new_page()
    sign_in_with_two_factors(page, base, personas.consultant)
    return page


def change_status(page: Page, status: str, reason: str) -> None:
    form = page.locator("form[action$='/status/']")
    form.locator("select[name=to_status]").select_option(status)
    form.locator("[name=reason]").fill(reason)
    form.locator("button[type=submit]").click()


def worker_opens(context: BrowserContext, base: str, code: str) -> Page:
    page = context.new_page()
    page.goto(f"{base}/vi/consult/open/")
    page.fill("input[name=code]", code)
    page.fill("input[name=pin]", PIN)
    page.locator("main form button[type=submit]").click()
    return page


def test_a_consultation_goes_from_an_anonymous_worker_to_a_closed_case_the_worker_was_satisfied_with(
    live_server, browser: Browser, phone_without_js: BrowserContext, phone: BrowserContext, personas: Personas,
    tmp_path: Path,
) -> None:  # fmt: skip
    base = live_server.url
    personas.consultant.spoken_languages = ["vi", "ja"]
    personas.consultant.save(update_fields=["spoken_languages"])
    code = worker_sends(phone_without_js.new_page(), base, tmp_path)
    case = Case.objects.get()
    assert case.attachments.count() == 1 and case.worker is None

    desk = consultant_signs_in(browser, base, personas)
    desk.goto(f"{base}/ja/desk/cases/?view=queue")
    assert case.number in desk.inner_text("main")  # routed to a consultant who speaks Vietnamese
    assert Axe().run(desk).response["violations"] == []
    screenshot(desk, "desk-flow-queue-ja")
    desk.goto(f"{base}/ja/desk/cases/{case.public_id}/")
    change_status(desk, CaseStatus.ACKNOWLEDGED, "Đã đọc; sẽ liên lạc")
    desk.locator("form[action$='/reply/'] textarea[name=body]").fill(
        "Chúng tôi đã nhận được. Bạn có bảng lương không?"
    )
    desk.locator("form[action$='/reply/'] button[type=submit]").click()
    assert "Chúng tôi đã nhận được" in desk.inner_text("main")
    screenshot(desk, "desk-flow-case-ja")

    worker = worker_opens(phone.new_page().context, base, code)
    assert "Chúng tôi đã nhận được" in worker.inner_text("main")
    assert Axe().run(worker).response["violations"] == []
    reply = worker.locator("main form[enctype='multipart/form-data']")
    reply.locator("textarea[name=body]").fill("Có, tôi đã gửi ảnh.")
    reply.locator("button[type=submit]").click()
    assert Message.objects.filter(case=case, author_kind="worker").count() == 1
    screenshot(worker, "desk-flow-worker-vi-360")

    desk.reload()
    for status in (CaseStatus.IN_PROGRESS, CaseStatus.GUIDING_SUPPORT):
        change_status(desk, status, "Đi cùng đến văn phòng lao động")
    outcome = desk.locator("form[action$='/outcome/']")
    outcome.locator("[name=outcome]").fill("Lương đã được trả; hộ chiếu được trả lại.")
    outcome.locator("select[name=remedy_type]").select_option("payment")
    outcome.locator("button[type=submit]").click()
    case.refresh_from_db()
    assert case.status == CaseStatus.RESOLVED
    change_status(desk, CaseStatus.CLOSED, "Người lao động xác nhận")
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED

    worker = worker_opens(phone.new_page().context, base, code)
    worker.check("input[name=satisfaction][value=yes]")
    worker.locator("form[action$='/satisfaction/'] button[type=submit]").click()
    case.refresh_from_db()
    assert case.satisfaction == "yes"
    screenshot(worker, "desk-flow-closed-vi-360")
