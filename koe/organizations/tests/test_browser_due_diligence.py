"""Company due diligence end to end in a real Chromium (issue 5, "Done means"), as one story.

A brand holder's admin imports a three-tier supply chain from CSV and prints a Burmese poster for
one supplier; a worker registers through that poster's link on a 360-px phone, answers the
self-check with a red flag, sends a consultation and lets the brand holder see an anonymised
summary; after the quarter closes the admin sees only suppressed figures and the summary, and
records a corrective action; the worker says it solved the problem and the desk accepts it.
"""

from datetime import timedelta
from io import StringIO
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation
from PIL import Image
from playwright.sync_api import Browser, BrowserContext, Page

from conftest import SCREENSHOTS, screenshot, sign_in_with_two_factors
from koe.accounts.models import User, WorkerProfile
from koe.cases.models import Case, CaseSeverity, Category, Satisfaction
from koe.cases.services.cases import case_triage
from koe.cases.services.sharing import case_summary_for_company_set
from koe.core.testing.personas import Personas
from koe.organizations.corporate_number import corporate_number_check_digit, is_valid_corporate_number
from koe.organizations.models import Organization, SupplyChainLink
from koe.reach.models import InviteLink, WorkerEmployerLink
from koe.remedy.models import ActionStatus, CorrectiveAction
from koe.reports.dashboard import today
from koe.reports.dashboard_testing import moment_in
from koe.reports.document import HIDDEN_MARK, SUPPRESSION_LEGEND
from koe.reports.periods import last_closed_quarter
from koe.surveys.demo import publish_worker_selfcheck
from koe.surveys.models import Response
from koe.surveys.tests.test_browser_selfcheck import answer_through_to_review

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The chain the admin uploads: Japanese names, each tier the supplier of the one above it.
CHAIN = [("さくら包装株式会社", 1), ("みなと農園株式会社", 2), ("海の幸水産", 3)]
WORKER_WORDS = "ပတ်စပို့ကို အလုပ်ရှင်က သိမ်းထားတယ်။ လစာ မပေးဘူး။"
SUMMARY = "Passport kept by the employer; wages unpaid for one month."
THRESHOLD = 5


def url(live_server: Any, name: str, *args: Any, language: str = "ja") -> str:
    with translation.override(language):
        return live_server.url + reverse(name, args=args)


def valid_number(base12: str) -> str:
    number = f"{corporate_number_check_digit(base12)}{base12}"
    assert is_valid_corporate_number(number)
    return number


# 1. The brand holder's admin imports the chain --------------------------------------------------


def signs_in(browser: Browser, live_server: Any, user: User) -> Page:
    """Password, then the authenticator's code: company and desk pages need both factors."""
    context = browser.new_context(viewport={"width": 1024, "height": 800}, bypass_csp=True)
    page = context.new_page()
    sign_in_with_two_factors(page, live_server.url, user)
    return page


def chain_csv(tmp_path: Path) -> tuple[Path, list[str]]:
    numbers = [valid_number(f"48392017560{index}") for index in range(1, len(CHAIN) + 1)]
    lines = ["法人番号,会社名,階層,親会社法人番号"]
    for index, (name, tier) in enumerate(CHAIN):
        lines.append(f"{numbers[index]},{name},{tier},{numbers[index - 1] if index else ''}")
    path = tmp_path / "サプライチェーン.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")  # as Excel saves it
    return path, numbers


def admin_imports_chain(
    page: Page, live_server: Any, personas: Personas, tmp_path: Path
) -> list[Organization]:
    path, numbers = chain_csv(tmp_path)
    page.goto(url(live_server, "organizations:import_upload"))
    page.set_input_files("input[type=file]", str(path))
    page.locator("form.card button[type=submit]").click()
    assert page.locator("main table").count() == 0  # the preview shows no errors or warnings
    screenshot(page, "e2e-import-preview")
    page.locator("form[action$='/confirm/'] button").click()
    companies = [Organization.objects.get(corporate_number=number) for number in numbers]
    parents = [personas.org_a, *companies[:-1]]
    for company, parent, (_name, tier) in zip(companies, parents, CHAIN, strict=True):
        assert SupplyChainLink.objects.get(supplier=company).buyer == parent
        assert SupplyChainLink.objects.get(supplier=company).tier == tier
    page.goto(url(live_server, "organizations:supply_chain"))
    rows = page.locator("main tbody tr")
    for company, (name, tier) in zip(companies, CHAIN, strict=True):
        cells = rows.filter(has_text=company.corporate_number).locator("td").all_inner_texts()
        assert cells[:2] == [str(tier), name]
    screenshot(page, "e2e-supply-chain")
    return companies


# 2. The Burmese poster for one supplier --------------------------------------------------------


def admin_gets_invite(page: Page, live_server: Any, employer: Organization) -> tuple[InviteLink, str]:
    page.goto(url(live_server, "reach:links"))
    page.locator(f"form:has(input[name=employer][value='{employer.pk}']) button").click()
    link = InviteLink.objects.get(employer=employer, revoked_at__isnull=True)
    invite_url = page.inner_text("main code").strip()
    assert invite_url.endswith(f"/join/{link.token}/")
    screenshot(page, "e2e-invite-link")
    return link, invite_url


def admin_downloads_poster(page: Page, link: InviteLink) -> bytes:
    with page.expect_download() as download:
        page.locator(f"a[href$='/{link.pk}/poster/a4/my.pdf']").click()
    return Path(download.value.path()).read_bytes()


def poster_is_printable(pdf: bytes, burmese_url: str) -> None:
    document = pdfium.PdfDocument(pdf)
    assert len(document) == 1
    image = document[0].render(scale=2).to_pil().convert("RGB")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    image.save(SCREENSHOTS / "e2e-poster-my.png")
    grey = image.convert("L")
    dark = sum(grey.histogram()[:128]) / (grey.width * grey.height)
    assert 0.03 < dark < 0.5  # text and a QR code on a white sheet, not a blank or black page
    # No QR decoder is installed here: the QR code encodes the same address the poster prints
    # (koe.reach.posters), so the printed address is checked, and the code itself is compared
    # module by module with the one that address makes (qr_matches).
    text = document[0].get_textpage().get_text_range().replace("\r", "").replace("\n", "")
    assert burmese_url in text
    assert qr_matches(grey, burmese_url)


def qr_matches(grey: Image.Image, text: str) -> bool:
    """Whether the sheet holds the QR code of ``text``: every module of the code segno makes for
    it is sampled at its centre on the rendered sheet, wherever a finder pattern could start."""
    import numpy
    import segno

    expected = numpy.array(segno.make(text, error="m").matrix, dtype=bool)
    dark = numpy.asarray(grey) < 128
    for top, left, finder in _top_edges(dark, minimum=40):
        right = _run_end(dark[top + 2], left + round(finder * (len(expected) - 7.5) / 7))
        size = right - left
        centres = (numpy.arange(len(expected)) + 0.5) * size / len(expected)
        rows, columns = (top + centres).astype(int), (left + centres).astype(int)
        if rows[-1] >= dark.shape[0] or columns[-1] >= dark.shape[1]:
            continue
        sampled = dark[numpy.ix_(rows, columns)]
        if (sampled != expected).mean() < 0.01:  # a printed code survives far more damage
            return True
    return False


def _top_edges(dark: Any, minimum: int) -> Any:
    """(row, column, length) of dark runs at least ``minimum`` long with light above them."""
    for top in range(1, dark.shape[0] - 2):
        row, above = dark[top + 2], dark[top - 1]
        column = 0
        while column < len(row):
            if row[column] and not above[column]:
                end = _run_end(row, column)
                if end - column >= minimum:
                    yield top, column, end - column
                column = end
            column += 1


def _run_end(row: Any, column: int) -> int:
    """Where the dark run at or after ``column`` ends."""
    while column < len(row) and not row[column]:
        column += 1
    while column < len(row) and row[column]:
        column += 1
    return column


# 3. The worker registers through the link and answers the self-check -------------------------


def worker_registers(phone: BrowserContext, live_server: Any, link: InviteLink) -> Page:
    page = phone.new_page()
    page.goto(url(live_server, "join:landing", link.token, language="my"))
    assert page.locator("html").get_attribute("lang") == "my"
    assert link.employer.name in page.inner_text("main")
    worker_page_passes(page, "e2e-join-landing-my-360")
    page.locator("button[value=register]").click()
    assert page.url == url(live_server, "accounts:register", language="my")
    page.fill("input[name=username]", "thida-e2e")
    page.fill("input[name=password1]", "monsoon river 2026")
    page.fill("input[name=password2]", "monsoon river 2026")
    page.check("input[name=language][value=my]")
    page.check("input[name=consent]")
    page.locator("main button[type=submit]").click()
    return page


def worker_answers_selfcheck(page: Page, live_server: Any) -> Response:
    page.goto(url(live_server, "surveys:start", language="my"))
    page.locator("main form button[type=submit]").first.click()
    answer_through_to_review(page)  # answers a few questions, violence "yes" (a red flag)
    screenshot(page, "e2e-selfcheck-review-my-360")
    page.locator("main form button[type=submit]").last.click()
    assert "/result/" in page.url
    worker_page_passes(page, "e2e-selfcheck-result-my-360")
    return Response.objects.get(status="submitted")


# 4. The consultation, and consent to share a summary with the brand holder -------------------


def worker_consults(page: Page, live_server: Any) -> Case:
    page.goto(url(live_server, "consult:intake", language="my"))
    page.fill("textarea[name=account]", WORKER_WORDS)
    page.locator("main form button[type=submit]").click()
    page.locator("main a[href*='/consult/']").first.click()
    return Case.objects.get()


def worker_shares_summary(page: Page, case: Case, brand_holder: Organization) -> None:
    form = page.locator(f"#sharing-section form:has(input[name=organization][value='{brand_holder.pk}'])")
    form.locator("input[value=summary]").check()
    form.locator("button[type=submit]").click()
    worker_page_passes(page, "e2e-case-shared-my-360")


def worker_page_passes(page: Page, name: str) -> None:
    """Every worker page: no axe violation, and nothing wider than the 360-px phone."""
    assert Axe().run(page).response["violations"] == [], page.url
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, page.url
    screenshot(page, name)


# 5. Desk work and the end of the quarter (not the story under test) --------------------------


def desk_links_case(case: Case, employer: Organization, personas: Personas) -> None:
    """The consultant's triage (desk work, through the service) links the case to the employer
    the worker is registered with: a consultation sent from the portal carries no employer, and
    without one the worker has no company to share it with."""
    case_triage(
        case=case, actor=personas.consultant, categories=[Category.WAGES], severity=CaseSeverity.URGENT,
        indicators=0, employer=employer, supervising_organization=None,
    )  # fmt: skip


def desk_summarises(case: Case, personas: Personas) -> None:
    """Desk work, not the story under test: the consultant writes what companies may read."""
    case_summary_for_company_set(case=case, text=SUMMARY, actor=personas.consultant)


def quarter_closes(case: Case, response: Response) -> None:
    """Dashboards publish closed quarters only (a live count would date a worker's answer), and
    the test cannot wait for this quarter to end: the worker's sheet and case are moved into the
    last closed quarter, then that quarter is published as the daily job does."""
    moment = moment_in(last_closed_quarter(today()))
    Response.objects.filter(pk=response.pk).update(submitted_at=moment)
    Case.objects.filter(pk=case.pk).update(created_at=moment)
    call_command("publish_dashboards", stdout=StringIO())


# 6. The brand holder: suppressed figures, the shared summary, a corrective action ------------


def admin_sees_suppressed_dashboard(page: Page, live_server: Any) -> None:
    page.goto(url(live_server, "insights:dashboard"))
    main = page.locator("main")
    with translation.override("ja"):  # the legend says what the mark means, in the page's language
        legend = str(SUPPRESSION_LEGEND) % {"mark": HIDDEN_MARK}
    assert legend in main.inner_text()
    cells = main.locator("tbody td").all_inner_texts()
    assert "x" in cells  # the single worker's figures are hidden...
    small = [cell for cell in cells if cell.strip().isdigit() and 0 < int(cell) < THRESHOLD]
    assert small == []  # ...and nothing shows a count below the threshold
    screenshot(page, "e2e-dashboard-1024")
    page.set_viewport_size({"width": 360, "height": 740})
    screenshot(page, "e2e-dashboard-360")
    page.set_viewport_size({"width": 1024, "height": 800})


def admin_records_action(page: Page, live_server: Any, case: Case) -> CorrectiveAction:
    page.goto(url(live_server, "remedy:company_cases"))
    page.locator(f"main a:text-is('{case.number}')").click()
    text = page.inner_text("main")
    assert SUMMARY in text and WORKER_WORDS not in page.content()  # the summary, never the words
    form = page.locator("form[action$='/actions/new/']")
    form.locator("[name=plan]").fill("給与の未払い分を支払い、旅券は本人に返却する。全員に説明会を行う。")
    form.locator("[name=owner_name]").fill("人事部長 佐藤")
    form.locator("[name=due_date]").fill((timezone.localdate() + timedelta(days=30)).isoformat())
    form.locator("button[type=submit]").click()
    action = CorrectiveAction.objects.get(case=case)
    for status in (ActionStatus.DO, ActionStatus.CHECK):
        page.locator(f"button[name=to_status][value={status}]").click()
        action.refresh_from_db()
        assert action.status == status
    screenshot(page, "e2e-action-check")
    return action


# 7. The worker confirms; the desk accepts -------------------------------------------------------


def worker_confirms(page: Page, live_server: Any, case: Case) -> None:
    page.goto(url(live_server, "consult:case", case.public_id, language="my"))
    assert SUMMARY in page.inner_text("#sharing-section")
    worker_page_passes(page, "e2e-case-asked-my-360")
    form = page.locator("#corrective-actions form")
    form.locator("input[name$=answer][value=yes]").check()
    form.locator("button[type=submit]").click()
    worker_page_passes(page, "e2e-case-answered-my-360")


def desk_accepts(browser: Browser, live_server: Any, personas: Personas, action: CorrectiveAction) -> None:
    desk = signs_in(browser, live_server, personas.consultant)
    desk.goto(url(live_server, "remedy:desk_action", action.pk))
    form = desk.locator("form[action$='/review/']")
    form.locator("input[name=decision][value=accepted]").check()
    form.locator("button[type=submit]").click()
    desk.wait_for_load_state()
    screenshot(desk, "e2e-desk-accepted")
    desk.context.close()


def admin_sees_pdca(page: Page, live_server: Any, case: Case, action: CorrectiveAction) -> None:
    page.goto(url(live_server, "remedy:company_case", case.number))
    row = page.locator("main tbody tr").filter(has=page.locator(f"a[href$='/actions/{action.pk}/']"))
    cells = row.locator("td").all_inner_texts()
    with translation.override("ja"):
        act, yes = str(ActionStatus.ACT.label), str(Satisfaction.YES.label)
    assert [cells[3].strip(), cells[4].strip()] == [act, yes]  # not overdue; the worker said yes
    screenshot(page, "e2e-company-case-act")


def test_a_brand_holder_acts_on_a_privacy_safe_signal_from_a_worker_it_reached_through_a_poster(
    live_server: Any, browser: Browser, phone: BrowserContext, personas: Personas, tmp_path: Path
) -> None:
    admin = signs_in(browser, live_server, personas.admin_a)
    _tier1, tier2, _tier3 = admin_imports_chain(admin, live_server, personas, tmp_path)

    link, _japanese_url = admin_gets_invite(admin, live_server, tier2)
    pdf = admin_downloads_poster(admin, link)
    poster_is_printable(pdf, url(live_server, "join:landing", link.token, language="my"))

    publish_worker_selfcheck()
    worker = worker_registers(phone, live_server, link)
    profile = WorkerProfile.objects.get(user__username="thida-e2e")
    assert profile.employer == tier2
    assert WorkerEmployerLink.objects.get(worker=profile.user).brand_holder == personas.org_a
    response = worker_answers_selfcheck(worker, live_server)
    assert response.employer == tier2 and response.red_flag

    case = worker_consults(worker, live_server)
    assert case.worker == profile.user
    desk_links_case(case, tier2, personas)
    worker.reload()
    worker_shares_summary(worker, case, personas.org_a)
    desk_summarises(case, personas)
    quarter_closes(case, response)

    admin_sees_suppressed_dashboard(admin, live_server)
    action = admin_records_action(admin, live_server, case)
    worker_confirms(worker, live_server, case)
    desk_accepts(browser, live_server, personas, action)
    action.refresh_from_db()
    assert action.status == ActionStatus.ACT
    admin_sees_pdca(admin, live_server, case, action)
