"""The administrator invites a coach, who sets a password through the link; the other tabs."""

import re

import pytest
from django_scopes import scope
from playwright.sync_api import expect

from jobcenters.models import Membership, Site

STAFF = re.compile(r"^(Mitarbeitende|Staff)$")
INVITE = re.compile(r"^(Mitarbeitende einladen|Invite staff)$")
SEND_INVITATION = re.compile(r"^(Einladung senden|Send invitation)$")
INVITED = re.compile(r"\b(eingeladen|invited)\b")
COACH_ROLE = re.compile(r"\b(Jobcoach|job coach)\b", re.I)
SET_PASSWORD = re.compile(r"^(Passwort festlegen|Set password)$")
SAVE_PASSWORD = re.compile(r"^(Passwort speichern|Save password)$")
PASSWORD_SET = re.compile(r"Passwort wurde festgelegt|password has been set")
NO_LONGER_VALID = re.compile(r"nicht mehr gültig|no longer valid")
NO_COHORT = re.compile(r"keiner laufenden oder geplanten Gruppe|not assigned to a running")
TABS = {  # tab label -> path below /jc-a/manage/
    re.compile(r"^(Standorte|Sites)$"): "sites/",
    re.compile(r"^(Formate|Programmes)$"): "programmes/",
    re.compile(r"^(Modulkatalog|Module catalogue)$"): "modules/",
    re.compile(r"^(Aufbewahrungsfrist|Retention period)$"): "retention/",
}
SITES = re.compile(r"^(Standorte|Sites)$")
ADD = re.compile(r"^(Hinzufügen|Add)$")
# "Sichern" is Django's own German for "Save", used while the project has no entry for it.
SAVE = re.compile(r"^(Speichern|Sichern|Save)$")
LINK = re.compile(r"https?://\S+/accounts/password/set/\S+/\S+/")

NEW_PASSWORD = "Ein-neues-Passwort-1"


def tab(page, name):
    return page.locator("ul.nav-tabs").get_by_role("link", name=name)


def staff_row(page, email):
    return page.locator("tbody tr").filter(has_text=email)


@pytest.mark.django_db(transaction=True)
def test_an_admin_invites_a_coach_who_sets_a_password_and_logs_in(
    page, live_server, log_in, axe_check, jc_admin, jobcenter_a, browser, browser_context_args,
    mailoutbox,
):
    with scope(jobcenter=jobcenter_a):
        manage = f"{live_server.url}/jc-a/manage/"

        # The admin lands on the administration: the staff list.
        log_in(jc_admin.user.email)
        expect(page).to_have_url(f"{manage}staff/")
        expect(tab(page, STAFF)).to_have_attribute("aria-current", "page")
        axe_check(page)

        page.get_by_role("link", name=INVITE).click()
        expect(page).to_have_url(f"{manage}staff/invite/")
        axe_check(page)
        page.locator("[name=email]").fill("Nora.Neu@Jobcenter.example")
        page.locator("[name=first_name]").fill("Nora")
        page.locator("[name=last_name]").fill("Neu")
        page.locator("[name=role]").select_option("coach")
        page.get_by_role("button", name=SEND_INVITATION).click()

        expect(page).to_have_url(f"{manage}staff/")
        expect(page.get_by_role("status")).to_contain_text("nora.neu@jobcenter.example")
        row = staff_row(page, "nora.neu@jobcenter.example")
        expect(row).to_have_count(1)
        expect(row).to_contain_text("Nora Neu")
        expect(row).to_contain_text(COACH_ROLE)
        expect(row).to_contain_text(INVITED)
        axe_check(page)
        membership = Membership.objects.get(user__email="nora.neu@jobcenter.example")
        assert (membership.jobcenter, membership.role) == (jobcenter_a, "coach")

        # The e-mail carries the one-time link.
        assert len(mailoutbox) == 1
        assert mailoutbox[0].to == ["nora.neu@jobcenter.example"]
        link = LINK.search(mailoutbox[0].body).group(0)
        assert link.startswith(live_server.url)

        # The invited person, in a browser of their own.
        context = browser.new_context(**browser_context_args)
        try:
            nora = context.new_page()
            nora.goto(link)
            expect(nora.get_by_role("heading", name=SET_PASSWORD)).to_be_visible()
            expect(nora.locator("[name=new_password1]")).to_be_visible()
            axe_check(nora)
            nora.locator("[name=new_password1]").fill(NEW_PASSWORD)
            nora.locator("[name=new_password2]").fill(NEW_PASSWORD)
            nora.get_by_role("button", name=SAVE_PASSWORD).click()

            expect(nora).to_have_url(f"{live_server.url}/accounts/password/set/done/")
            expect(nora.get_by_role("status")).to_contain_text(PASSWORD_SET)
            axe_check(nora)

            nora.goto(f"{live_server.url}/accounts/login/")
            nora.locator("[name=username]").fill("nora.neu@jobcenter.example")
            nora.locator("[name=password]").fill(NEW_PASSWORD)
            nora.locator("main form[method=post] button[type=submit]").click()
            expect(nora).to_have_url(f"{live_server.url}/jc-a/")
            expect(nora.locator("main .empty-state")).to_contain_text(NO_COHORT)
            axe_check(nora)

            # The link worked once.
            nora.goto(link)
            expect(nora.locator("main")).to_contain_text(NO_LONGER_VALID)
            expect(nora.locator("[name=new_password1]")).to_have_count(0)
            axe_check(nora)
        finally:
            context.close()

        # Back as admin: the other tabs.
        for name, path in TABS.items():
            tab(page, name).click()
            expect(page).to_have_url(f"{manage}{path}")
            expect(tab(page, name)).to_have_attribute("aria-current", "page")
            axe_check(page)

        # A site added through the form appears in the list.
        tab(page, SITES).click()
        expect(page).to_have_url(f"{manage}sites/")
        page.locator(".page-header").get_by_role("link", name=ADD).click()
        expect(page).to_have_url(f"{manage}sites/new/")
        axe_check(page)
        page.locator("[name=name]").fill("Bürgerhaus West")
        page.locator("[name=street]").fill("Marktstraße 5")
        page.locator("[name=postal_code]").fill("44135")
        page.locator("[name=town]").fill("Dortmund")
        page.locator("[name=is_outreach]").check()
        expect(page.locator("[name=is_active]")).to_be_checked()
        page.get_by_role("button", name=SAVE).click()

        expect(page).to_have_url(f"{manage}sites/")
        expect(page.get_by_role("status")).to_contain_text("Bürgerhaus West")
        site_row = page.locator("tbody tr").filter(
            has=page.get_by_role("link", name="Bürgerhaus West", exact=True))
        expect(site_row).to_have_count(1)
        expect(site_row).to_contain_text("Marktstraße 5, 44135 Dortmund")
        axe_check(page)
        site = Site.objects.get(name="Bürgerhaus West")
        assert (site.jobcenter, site.is_outreach, site.is_active) == (jobcenter_a, True, True)
