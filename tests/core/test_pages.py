"""Pages every visitor meets: sign-in, language switch, error pages, the layout's security headers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.staticfiles import finders
from django.urls import reverse

from factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_sign_in_page_is_chinese_by_default(client):
    response = client.get(reverse("login"))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="zh-hans">' in html
    assert "<h1>登录</h1>" in html
    assert "跳到正文" in html  # the skip link


def test_language_switch_shows_english(client, office):
    client.login(username=office.username, password=PASSWORD)
    assert "<h1>清单</h1>" in client.get(reverse("plans:plan_list")).content.decode()
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("plans:plan_list")})
    assert response.status_code == 302
    html = client.get(reverse("plans:plan_list")).content.decode()
    assert '<html lang="en">' in html
    assert "<h1>Plans</h1>" in html and "Sign out" in html
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    assert "<h1>清单</h1>" in client.get(reverse("plans:plan_list")).content.decode()


def test_sign_in_and_out(client, office):
    response = client.post(reverse("login"), {"username": office.username, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse(django_settings.LOGIN_REDIRECT_URL)
    html = client.get(reverse("plans:plan_list")).content.decode()
    assert office.username in html and "督查室" in html  # name and role in the header
    assert reverse("interchange:import_upload") in html  # the office gets the import link
    assert reverse("accounts:user_list") in html  # and its region's accounts, units and regions
    assert reverse("admin:index") not in html  # Django admin is the system administrator's
    client.post(reverse("logout"))
    assert client.get(reverse("plans:plan_list")).status_code == 302


def test_wrong_password_is_refused(client, office):
    response = client.post(reverse("login"), {"username": office.username, "password": "wrong password"})
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_reader_gets_no_import_or_admin_link(client, district):
    user = UserFactory(username="leader3", role="leader", region=district)
    client.login(username=user.username, password=PASSWORD)
    html = client.get(reverse("plans:plan_list")).content.decode()
    assert reverse("interchange:import_upload") not in html
    assert reverse("admin:index") not in html
    assert "领导" in html


def test_not_found_page_uses_the_layout(client, office):
    client.login(username=office.username, password=PASSWORD)
    response = client.get("/plans/999999/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_forbidden_page_explains(client, district):
    user = UserFactory(username="deputy3", role="deputy", region=district)
    client.login(username=user.username, password=PASSWORD)
    response = client.get(reverse("interchange:import_upload"))
    assert response.status_code == 403
    assert "您无权执行此操作" in response.content.decode()


def test_no_inline_script_and_a_csp_header(client):
    response = client.get(reverse("login"))
    assert "script-src" in response["Content-Security-Policy"]
    html = response.content.decode()
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert scripts, "the layout loads htmx"
    for tag in scripts:
        assert "src=" in tag or "nonce=" in tag
    assert not re.search(r"\son[a-z]+=", html)  # no inline event handlers either


def test_vendored_front_end_files_are_served_locally():
    for path in ("vendor/htmx/htmx.min.js", "vendor/echarts/echarts.min.js", "minsheng/site.css"):
        found = finders.find(path)
        assert found and Path(found).stat().st_size > 1000, path
    versions = Path(finders.find("vendor/VERSIONS.md")).read_text(encoding="utf-8")
    assert "2.0.11" in versions and "5.6.0" in versions
    assert Path(finders.find("vendor/htmx/LICENSE")).exists()
    assert Path(finders.find("vendor/echarts/LICENSE")).exists()


def untranslated_msgids(po_text: str) -> list[str]:
    """msgids of a .po file whose msgstr (or msgstr[0]) is empty; the header entry is skipped."""
    missing = []
    for block in po_text.split("\n\n"):
        lines = [line for line in block.splitlines() if not line.startswith("#")]
        msgid, msgstr, current = "", "", None
        for line in lines:
            if line.startswith("msgid "):
                current, msgid = "id", line[6:].strip('"')
            elif line.startswith(("msgstr ", "msgstr[0] ")):
                current, msgstr = "str", line.split(" ", 1)[1].strip('"')
            elif line.startswith(("msgid_plural", "msgstr[")):
                current = None
            elif line.startswith('"') and current == "id":
                msgid += line.strip('"')
            elif line.startswith('"') and current == "str":
                msgstr += line.strip('"')
        if msgid and not msgstr:
            missing.append(msgid)
    return missing


def test_untranslated_msgids_finds_gaps():
    po = 'msgid ""\nmsgstr ""\n"Language: zh_Hans\\n"\n\nmsgid "Plans"\nmsgstr "清单"\n\nmsgid "Sign in"\nmsgstr ""\n'
    assert untranslated_msgids(po) == ["Sign in"]


def test_every_catalogue_entry_is_translated_and_compiled():
    po = Path(django_settings.LOCALE_PATHS[0]) / "zh_Hans" / "LC_MESSAGES" / "django.po"
    text = po.read_text(encoding="utf-8")
    assert untranslated_msgids(text) == []
    assert "#, fuzzy" not in text
    assert po.with_suffix(".mo").exists()


def test_server_error_page_renders_without_a_request_context():
    from django.template import loader
    from django.utils import translation

    with translation.override("zh-hans"):
        html = loader.get_template("500.html").render({})
    assert '<html lang="zh-hans">' in html and "出错了" in html


@pytest.mark.parametrize(
    ("role", "shown", "hidden"),
    [
        (
            "leader",
            ["dashboard:overview", "bulletins:index", "supervision:notice_list"],
            ["progress:inbox", "progress:queue"],
        ),
        (
            "office",
            [
                "dashboard:overview",
                "progress:queue",
                "progress:inbox",
                "bulletins:index",
                "interchange:import_upload",
            ],
            [],
        ),
        ("reviewer", ["progress:queue", "bulletins:index"], ["dashboard:overview", "progress:inbox"]),
        ("reporter", ["progress:inbox", "supervision:notice_list"], ["dashboard:overview", "progress:queue"]),
        ("deputy", [], ["progress:inbox", "progress:queue", "interchange:import_upload"]),
    ],
)
def test_navigation_offers_each_role_its_own_pages(client, district, role, shown, hidden):
    unit = None
    if role == "reporter":
        from factories import UnitFactory

        unit = UnitFactory(region=district)
    user = UserFactory(role=role, region=district, unit=unit)
    client.login(username=user.username, password=PASSWORD)
    html = client.get(reverse("plans:plan_list")).content.decode()
    for name in shown:
        assert f'href="{reverse(name)}"' in html, name
    for name in hidden:
        assert f'href="{reverse(name)}"' not in html, name


def test_core_navigation_imports_no_app_above_it():
    """Apps register their own links (core.nav); the nav tag knows none of their policies."""
    from minsheng.core.nav import nav_entries
    from minsheng.core.templatetags import minsheng_nav

    source = Path(minsheng_nav.__file__).read_text(encoding="utf-8")
    for app in ("dashboard", "interchange", "progress", "supervision", "bulletins", "notifications"):
        assert f"minsheng.{app}" not in source, app
    keys = {entry.key for entry in nav_entries()}
    assert {"plans", "dashboard", "my_items", "reporting", "review", "import", "notices", "bulletins"} <= keys


def test_navigation_marks_the_current_page(client, district):
    user = UserFactory(role="office", region=district)
    client.login(username=user.username, password=PASSWORD)
    html = client.get(reverse("progress:queue")).content.decode()
    assert f'href="{reverse("progress:queue")}" aria-current="page"' in html
    assert f'href="{reverse("plans:plan_list")}" aria-current' not in html
