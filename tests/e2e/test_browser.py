"""A marketer's session in a real browser: the built frontend over the local gateway.

The API runs as `make api` runs it (a subprocess of `asset-engine serve`, APP_ENV=dev, the
offline writer, the local RunPod stand-in painting offline) on this run's database; the frontend is `next build` + `next start` pointed at
it; Chromium is the system's (Debian's `chromium`, or Chrome on CI runners), never a download.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess
import sys
import time
import uuid
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from html import unescape
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from playwright.sync_api import Dialog, Locator, Page, Route, expect, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.support.lambda_api import PROJECT_ROOT
from tests.support.services import free_port

pytestmark = pytest.mark.e2e

FRONTEND = PROJECT_ROOT / "frontend"
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def _browser_path() -> str | None:
    return os.environ.get("CHROMIUM_PATH") or next(
        (path for name in BROWSERS if (path := shutil.which(name))), None
    )


@dataclass(frozen=True)
class Site:
    web: str
    api: str
    storage: Path  # the local stand-in for Supabase Storage's bucket


@pytest.fixture(scope="module")
def site(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    if _browser_path() is None:
        pytest.skip("no system Chromium (`apt-get install chromium`; .ci/run installs it)")
    if not (FRONTEND / "node_modules").is_dir():
        pytest.skip("frontend packages are not installed (`make install`)")
    api_port, web_port = free_port(), free_port()
    api, web = f"http://127.0.0.1:{api_port}", f"http://127.0.0.1:{web_port}"
    logs = tmp_path_factory.mktemp("browser")

    # No outside service: the offline writer, the local RunPod stand-in, files in a folder.
    outside = ("DEEPSEEK_", "UPSTASH_", "RUNPOD_", "SUPABASE_", "STRIPE_")
    env = {k: v for k, v in os.environ.items() if not k.startswith(outside)}
    env.pop("REDIS_URL", None)
    api_env = {**env, "APP_ENV": "dev", "DATABASE_URL": database_url, "CORS_ORIGINS": web,
               "POWERTOOLS_LOG_LEVEL": "WARNING", "LOCAL_STORAGE_DIR": str(logs / "storage")}  # fmt: skip
    web_env = {**env, "NEXT_PUBLIC_API_URL": api, "NEXT_TELEMETRY_DISABLED": "1"}
    # A distDir of its own, so a `make dev` running beside the tests keeps its build.
    web_env["NEXT_DIST_DIR"] = ".next-e2e"

    processes: list[subprocess.Popen[bytes]] = []
    try:
        processes.append(_start(
            [sys.executable, "-m", "asset_engine.cli", "serve", "--port", str(api_port),
             "--log-level", "warning"], api_env, logs / "api.log"))  # fmt: skip
        build = subprocess.run(
            [FRONTEND / "node_modules/.bin/next", "build"], cwd=FRONTEND, env=web_env,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=600,
        )  # fmt: skip
        assert build.returncode == 0, build.stdout.decode()[-4000:]
        processes.append(_start(
            [str(FRONTEND / "node_modules/.bin/next"), "start", "-H", "127.0.0.1", "-p",
             str(web_port)], web_env, logs / "web.log", cwd=FRONTEND))  # fmt: skip
        _wait_until_up(f"{api}/health", processes, logs)
        _wait_until_up(f"{web}/login", processes, logs)
        yield Site(web=web, api=api, storage=logs / "storage")
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)


def _start(
    command: list[str], env: dict[str, str], log: Path, cwd: Path = PROJECT_ROOT
) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        return subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)


def _wait_until_up(url: str, processes: list[subprocess.Popen[bytes]], logs: Path) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if any(process.poll() is not None for process in processes):
            raise AssertionError("a server exited:\n" + _tails(logs))
        try:
            if httpx.get(url, timeout=5).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.3)
    raise AssertionError(f"{url} did not come up:\n" + _tails(logs))


def _tails(logs: Path) -> str:
    return "\n".join(f"{log.name}: {log.read_text()[-2000:]}" for log in logs.glob("*.log"))


@pytest.fixture
def page(site: Site) -> Iterator[Page]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=_browser_path(), args=["--no-sandbox"])
        context = browser.new_context(base_url=site.web, viewport={"width": 1280, "height": 900})
        context.set_default_timeout(20_000)
        try:
            yield context.new_page()
        finally:
            browser.close()


def _sign_in(page: Page) -> str:
    email = f"marketer-{uuid.uuid4().hex[:8]}@example.com"
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login$"))
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/campaigns$"))
    return email


def _api_session(page: Page, site: Site) -> httpx.Client:
    """The signed-in user's token, read from the page, for checking state behind the UI."""
    stored = page.evaluate("() => JSON.parse(localStorage.getItem('asset-engine.session'))")
    return httpx.Client(
        base_url=site.api, headers={"Authorization": f"Bearer {stored['access_token']}"}
    )


def test_a_marketer_plans_a_campaign_writes_copy_and_walks_its_history(
    page: Page, site: Site
) -> None:
    # Given a new marketer signed in with the developer sign-in: 50 credits
    _sign_in(page)
    balance = page.get_by_test_id("credits-balance")
    expect(balance).to_have_text("50 credits")

    # When they create a campaign and start it
    page.get_by_role("button", name="New campaign").click()
    page.get_by_label("Name", exact=True).fill("Autumn menu launch")
    page.get_by_label("Objective").fill("Fill the restaurant on weeknights")
    page.get_by_label("Audience").fill("busy parents")
    page.get_by_label("Email", exact=True).check()
    page.get_by_role("button", name="Create campaign").click()
    expect(page).to_have_url(re.compile(r"/campaigns/[0-9a-f-]{36}$"))
    page.get_by_role("button", name="Activate").click()
    expect(page.get_by_role("button", name="Pause")).to_be_visible()

    # ... and have three headlines written for it
    page.get_by_label("Prompt").fill("Our new autumn menu")
    page.get_by_label("Asset type").select_option("headline")
    page.get_by_label("Variants").fill("3")
    expect(page.get_by_text("Cost: 3 credits")).to_be_visible()  # from GET /credits/prices
    page.get_by_role("button", name="Generate", exact=True).click()
    generated = page.get_by_role("list", name="Generated assets").get_by_role("link")
    expect(generated).to_have_count(3)
    expect(balance).to_have_text("47 credits")

    # Then one of them can be edited, undone, redone and refined, version by version
    generated.first.click()
    expect(page).to_have_url(re.compile(r"/assets/[0-9a-f-]{36}$"))
    asset_id = page.url.rsplit("/", 1)[1]
    position = page.get_by_text(re.compile(r"^Version \d+ of \d+$"))
    expect(position).to_have_text("Version 1 of 1")
    first_draft = page.get_by_label("Content").input_value()
    page.get_by_label("Content").fill("Autumn is served: a new menu for busy weeknights.")
    page.get_by_role("button", name="Save").click()
    expect(position).to_have_text("Version 2 of 2")
    page.get_by_role("button", name="Undo").click()
    expect(position).to_have_text("Version 1 of 2")
    expect(page.get_by_label("Content")).to_have_value(first_draft)
    expect(page.get_by_role("button", name="Undo")).to_be_disabled()
    page.get_by_role("button", name="Redo").click()
    expect(position).to_have_text("Version 2 of 2")
    expect(page.get_by_role("button", name="Redo")).to_be_disabled()
    page.get_by_label("Refine instruction").fill("Make it shorter")
    page.get_by_role("button", name="Refine", exact=True).click()
    expect(position).to_have_text("Version 3 of 3")
    expect(page.get_by_label("Content")).to_have_value("Autumn is served.")  # the offline writer
    expect(balance).to_have_text("46 credits")

    # And the state behind the page agrees: three versions, 46 credits, the ledger sums to it
    with _api_session(page, site) as api:
        versions = api.get(f"/api/v1/assets/{asset_id}/versions").json()
        assert [v["source"] for v in sorted(versions["items"], key=lambda v: v["version"])] == [
            "ai_generate", "manual", "ai_refine"
        ]  # fmt: skip
        ledger = api.get("/api/v1/credits/ledger", params={"limit": 100}).json()["items"]
        assert sum(entry["delta"] for entry in ledger) == 46
        assert api.get("/api/v1/campaigns").json()["items"][0]["asset_count"] == 3

    # The credits page shows the same ledger; signing out returns to the sign-in page
    page.get_by_role("link", name="Credits", exact=True).click()
    expect(page.get_by_text("Sign-up grant")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/login$"))


def test_a_marketer_out_of_credits_is_told_so_and_charged_nothing(page: Page, site: Site) -> None:
    # Given a marketer who has spent every credit
    _sign_in(page)
    with _api_session(page, site) as api:
        api.post("/api/v1/credits/deduct", json={"amount": 50, "reason": "spent elsewhere"})
        page.reload()
        expect(page.get_by_test_id("credits-balance")).to_have_text("0 credits")
        page.get_by_role("button", name="New campaign").click()
        page.get_by_label("Name", exact=True).fill("Winter sale")
        page.get_by_role("button", name="Create campaign").click()

        # When they ask for copy
        page.get_by_label("Prompt").fill("Winter sale on coats")
        page.get_by_role("button", name="Generate", exact=True).click()

        # Then the page says why, and nothing was charged or written
        expect(page.get_by_text("Not enough credits")).to_be_visible()
        assert api.get("/api/v1/credits/balance").json()["balance"] == 0
        assert api.get("/api/v1/assets").json()["items"] == []


def _loaded_size(image: Locator) -> tuple[int, int]:
    """The picture's own size, once the browser has loaded it (0 x 0 if it failed to load)."""
    image.page.wait_for_function("img => img.complete", arg=image.element_handle())
    width, height = image.evaluate("img => [img.naturalWidth, img.naturalHeight]")
    return width, height


def test_a_marketer_paints_an_image_in_the_ai_studio_and_walks_its_versions(
    page: Page, site: Site
) -> None:
    # Given a new marketer (50 credits) in the AI studio
    _sign_in(page)
    balance = page.get_by_test_id("credits-balance")
    page.get_by_role("link", name="AI studio").click()
    expect(page).to_have_url(re.compile(r"/ai-studio$"))

    # When they ask for a landscape picture for link ads, its price shown before spending
    prompt = "A linen shirt on a sunlit balcony, morning light"
    form = page.get_by_role("form", name="Generate an image")
    form.get_by_label("Image prompt").fill(prompt)
    form.get_by_label(re.compile(r"^Landscape 1\.91:1")).check()
    expect(form.get_by_text("Cost: 5 credits for 1216 \u00d7 640")).to_be_visible()
    form.get_by_role("button", name="Generate image").click()
    expect(balance).to_have_text("45 credits")

    # Then the job's progress is shown until the picture appears, at the size asked, loaded
    # from the storage URL the API gives the asset
    card = page.get_by_role("listitem", name=f"Image: {prompt}")
    expect(card.get_by_role("list", name="Progress")).to_be_visible()
    expect(card.get_by_text(re.compile(r"^Done in \d+ s\.$"))).to_be_visible(timeout=30_000)
    picture = card.get_by_alt_text(prompt, exact=True).first
    expect(picture).to_be_visible()
    assert _loaded_size(picture) == (1216, 640)
    with _api_session(page, site) as api:
        (asset,) = api.get("/api/v1/assets", params={"kind": "image"}).json()["items"]
    assert asset["status"] == "ready"
    assert asset["metadata"]["width"] == 1216 and asset["metadata"]["height"] == 640
    assert picture.get_attribute("src") == asset["storage_url"]
    first_url = asset["storage_url"]

    # ... and it is still there after a reload (the studio keeps its jobs). Painted yesterday
    # as far as the browser's cache can tell, so from now on the picture comes from that cache
    yesterday = time.time() - 86_400
    for stored in site.storage.rglob("*.png"):
        os.utime(stored, (yesterday, yesterday))
    page.reload()
    expect(card.get_by_alt_text(prompt, exact=True).first).to_have_attribute("src", first_url)

    # When they open it and paint it again
    card.get_by_role("link", name="Open asset").click()
    expect(page).to_have_url(f"{site.web}/assets/{asset['id']}")
    position = page.get_by_test_id("version-indicator")
    expect(position).to_have_text("Version 1 of 1")
    image_card = page.get_by_role("region", name="Image", exact=True)
    shown = image_card.get_by_alt_text(prompt, exact=True).first
    expect(shown).to_have_attribute("src", first_url)
    page.get_by_role("button", name="Regenerate").click()

    # Then a second version appears, another picture of the same size, beside the first in
    # the history; 5 more credits are spent
    expect(position).to_have_text("Version 2 of 2", timeout=30_000)
    expect(balance).to_have_text("40 credits")
    expect(shown).not_to_have_attribute("src", first_url)
    second_url = shown.get_attribute("src")
    assert second_url
    assert _loaded_size(shown) == (1216, 640)
    history = page.get_by_role("list", name="Version history")
    for number, url in ((2, second_url), (1, first_url)):
        version = history.get_by_role("img", name=f"Version {number}: {prompt}")
        expect(version).to_have_attribute("src", url)

    # When they undo, the first picture is current again; redo is offered
    page.get_by_role("button", name="Undo").click()
    expect(position).to_have_text("Version 1 of 2")
    expect(shown).to_have_attribute("src", first_url)
    expect(page.get_by_role("button", name="Redo")).to_be_enabled()

    # When they download it: the file is saved under the asset's name, not opened in a tab
    # (the browser hands the <img>'s cached copy to the download's CORS fetch)
    with page.expect_download() as saved:
        image_card.get_by_role("button", name="Download version 1").click()
    assert saved.value.suggested_filename.endswith("-v1.png")
    assert len(page.context.pages) == 1

    # And the state behind the page agrees: two painted versions, version 1 current, and the
    # ledger sums to the balance shown
    with _api_session(page, site) as api:
        versions = api.get(f"/api/v1/assets/{asset['id']}/versions").json()
        by_number = {v["version"]: v for v in versions["items"]}
        assert versions["current_version"] == 1
        assert [by_number[n]["source"] for n in (1, 2)] == ["ai_generate", "ai_regenerate"]
        assert [by_number[n]["storage_url"] for n in (1, 2)] == [first_url, second_url]
        ledger = api.get("/api/v1/credits/ledger", params={"limit": 100}).json()["items"]
        assert sum(entry["delta"] for entry in ledger) == 40

    # The library shows its thumbnail
    page.get_by_role("link", name="Assets", exact=True).click()
    thumbnail = page.get_by_role("list", name="Assets").get_by_role("img", name=prompt)
    expect(thumbnail).to_have_attribute("src", first_url)


def test_a_marketer_out_of_credits_buys_a_pack_offline_and_sees_the_balance_rise(
    page: Page, site: Site
) -> None:
    # Given a marketer who has spent every credit and asks for copy: a 402 banner
    _sign_in(page)
    balance = page.get_by_test_id("credits-balance")
    with _api_session(page, site) as api:
        api.post("/api/v1/credits/deduct", json={"amount": 50, "reason": "spent elsewhere"})
    page.reload()
    expect(balance).to_have_text("0 credits")
    page.get_by_role("button", name="New campaign").click()
    page.get_by_label("Name", exact=True).fill("Spring sale")
    page.get_by_role("button", name="Create campaign").click()
    page.get_by_label("Prompt").fill("Spring sale on linen shirts")
    page.get_by_role("button", name="Generate", exact=True).click()
    expect(page.get_by_text("Not enough credits")).to_be_visible()

    # When they follow the banner's "Buy credits" to the packs and buy the 100-credit one
    page.get_by_test_id("buy-credits-link").click()
    expect(page).to_have_url(re.compile(r"/credits#buy-credits$"))
    expect(page.get_by_test_id("pack-starter")).to_contain_text("$5.00")
    page.get_by_role("button", name="Buy 100 credits").click()

    # ... they land on the checkout page (the local Stripe stand-in of `asset-engine serve`)
    expect(page).to_have_url(re.compile(re.escape(site.api) + r"/_local/stripe/checkout/cs_"))
    session_id = page.url.rsplit("/", 1)[1]
    page.get_by_role("button", name=re.compile(r"^Pay ")).click()

    # Then Stripe's signed event reaches the webhook, they are back on the success page, and
    # the balance rises by the pack once
    expect(page).to_have_url(re.compile(r"/credits/success\?session_id=" + session_id + "$"))
    expect(page.get_by_test_id("purchase-confirmed")).to_contain_text("100 credits added")
    expect(balance).to_have_text("100 credits")
    with _api_session(page, site) as api:
        # Paying again re-sends the same event: a replay, nothing more granted
        again = httpx.post(f"{site.api}/_local/stripe/checkout/{session_id}/pay", timeout=30)
        assert again.json()["webhook_answer"]["replay"] is True
        assert api.get("/api/v1/credits/balance").json() == {"balance": 100}
        ledger = api.get("/api/v1/credits/ledger", params={"limit": 100}).json()["items"]
        assert [e["delta"] for e in ledger if e["reason"] == "purchase"] == [100]
        assert sum(entry["delta"] for entry in ledger) == 100

    # And the credits page lists the purchase in the ledger and the usage
    page.get_by_role("link", name="See the ledger").click()
    expect(page.get_by_text("Credits bought").first).to_be_visible()
    expect(page.get_by_role("cell", name="+100")).to_be_visible()
    # ... its reference telling this session from others (Stripe ids share their head)
    expect(page.get_by_text(f"cs_test_\u2026{session_id[-8:]}")).to_be_visible()


# ---- copy that fits its channel, getting work out, accessibility (issues 11 and 15) ---------

AXE_JS = FRONTEND / "node_modules" / "axe-core" / "axe.min.js"


def _new_campaign(page: Page, name: str, channels: tuple[str, ...] = ()) -> str:
    page.goto("/campaigns")
    page.get_by_role("button", name="New campaign").click()
    page.get_by_label("Name", exact=True).fill(name)
    for label in channels:
        page.get_by_label(label, exact=True).check()
    page.get_by_role("button", name="Create campaign").click()
    expect(page).to_have_url(re.compile(r"/campaigns/[0-9a-f-]{36}$"))
    return page.url.rsplit("/", 1)[1]


def test_copy_written_for_a_tight_channel_fits_it_and_the_campaign_exports_as_csv_and_zip(
    page: Page, site: Site
) -> None:
    # Given a marketer with a campaign running on Google search ads (headlines of 30 characters)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site.web)
    _sign_in(page)
    campaign_id = _new_campaign(page, "Linen week", ("Google Ads (search)",))

    # When they ask for two headlines for that channel (the campaign's channels come first)
    page.get_by_label("Prompt").fill("Linen shirts 30% off this week only, free returns")
    page.get_by_label("Asset type").select_option("headline")
    page.get_by_label("Channel").select_option("search_ads")
    expect(page.get_by_text("Google Ads (search) headline: at most 30 characters.")).to_be_visible()
    page.get_by_label("Variants").fill("2")
    page.get_by_role("button", name="Generate", exact=True).click()

    # Then each fits: the answer says so, and the editor counts it within the limit
    generated = page.get_by_role("list", name="Generated assets").get_by_role("link")
    expect(generated).to_have_count(2)
    for length in page.get_by_test_id("generated-length").all_inner_texts():
        shown, limit = map(int, re.findall(r"\d+", length))
        assert limit == 30 and shown <= 30
    generated.first.click()
    expect(page).to_have_url(re.compile(r"/assets/[0-9a-f-]{36}$"))
    content = page.get_by_label("Content").input_value()
    count = page.get_by_test_id("copy-length")
    expect(count).to_contain_text(f"{len(content)} / 30 characters")
    expect(count).to_contain_text("Google Ads (search) headline")
    assert len(content) <= 30
    expect(page).to_have_title(re.compile(r" · asset-engine$"))

    # ... and over the limit is marked while they type
    page.get_by_label("Content").fill(content + " and a great deal more")
    expect(count.get_by_text(re.compile(r"^\d+ over the limit$"))).to_be_visible()
    page.get_by_role("button", name="Discard changes").click()

    # When they copy it, and download it as text
    page.get_by_role("button", name="Copy text").click()
    expect(page.get_by_role("button", name="Copied")).to_be_visible()
    assert page.evaluate("() => navigator.clipboard.readText()") == content
    with page.expect_download() as text_file:
        page.get_by_role("button", name="Download .txt").click()
    assert text_file.value.suggested_filename.endswith(".txt")
    assert Path(text_file.value.path()).read_text(encoding="utf-8") == content

    # When they export the campaign as CSV and as ZIP
    page.goto(f"/campaigns/{campaign_id}")
    expect(page).to_have_title("Linen week · asset-engine")
    with page.expect_download() as csv_file:
        page.get_by_role("button", name="Export CSV").click()
    with page.expect_download() as zip_file:
        page.get_by_role("button", name="Export ZIP").click()

    # Then both hold the campaign's two headlines, named as the server names them
    stamp = time.strftime("%Y%m%d", time.gmtime())
    assert csv_file.value.suggested_filename == f"linen-week-{stamp}.csv"
    assert zip_file.value.suggested_filename == f"linen-week-{stamp}.zip"
    rows = list(csv.DictReader(io.StringIO(Path(csv_file.value.path()).read_text("utf-8-sig"))))
    assert len(rows) == 2
    assert {row["channel"] for row in rows} == {"search_ads"}
    assert content in {row["content"] for row in rows}
    with zipfile.ZipFile(zip_file.value.path()) as archive:
        assert "assets.csv" in archive.namelist()
        zipped = archive.read("assets.csv").decode("utf-8-sig")
    assert [r["id"] for r in csv.DictReader(io.StringIO(zipped))] == [r["id"] for r in rows]


def _focus_is_on_the_page_body(page: Page) -> bool:
    return bool(
        page.evaluate("() => !document.activeElement || document.activeElement === document.body")
    )


def _tab_to(page: Page, target: Locator, limit: int = 80) -> None:
    """Press Tab until `target` has focus (the keyboard's way there), at most `limit` times."""
    handle = target.element_handle()
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("el => document.activeElement === el", handle):
            return
    raise AssertionError(f"{target} never took focus in {limit} Tab presses")


def _focused(page: Page) -> str:
    return str(
        page.evaluate(
            "() => { const e = document.activeElement;"
            " return e ? `${e.tagName} ${e.id} ${e.getAttribute('aria-label') ?? ''} ${e.textContent?.trim().slice(0, 40)}` : '' }"
        )
    )


def test_keyboard_only_sign_in_campaign_generate_edit_undo_redo_keeps_focus(page: Page) -> None:
    def after_action(what: str) -> None:
        # Focus moves once React has committed the action's result, which a loaded machine
        # may take a while to do: wait for it to land (not a fixed pause), then hold it there.
        try:
            page.wait_for_function(
                "() => document.activeElement && document.activeElement !== document.body",
                timeout=5000,
            )
        except PlaywrightTimeoutError:
            raise AssertionError(f"focus fell to the page after {what}") from None
        assert not _focus_is_on_the_page_body(page), f"focus fell to the page after {what}"

    # Sign in: Tab to the email, type, Enter
    page.goto("/login")
    _tab_to(page, page.get_by_label("Email", exact=True))
    page.keyboard.type(f"keys-{uuid.uuid4().hex[:8]}@example.com")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/campaigns$"))
    after_action("signing in")

    # The skip link is the first stop
    page.reload()
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()

    # Open the new-campaign form: focus goes into it; Escape closes it, back on its opener
    opener = page.get_by_role("button", name="New campaign")
    _tab_to(page, opener)
    page.keyboard.press("Enter")
    expect(page.get_by_label("Name", exact=True)).to_be_focused()
    page.keyboard.press("Escape")
    expect(opener).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_label("Name", exact=True)).to_be_focused()

    # An empty submit focuses the name, which says what is wrong
    _tab_to(page, page.get_by_role("button", name="Create campaign"))
    page.keyboard.press("Enter")
    name = page.get_by_label("Name", exact=True)
    expect(name).to_be_focused()
    expect(name).to_have_attribute("aria-invalid", "true")
    expect(name).to_have_accessible_description(re.compile("Give the campaign a name"))
    page.keyboard.type("Keyboard launch")

    # The channels are one Tab stop: from the audience, one Tab reaches them, arrows move
    _tab_to(page, page.get_by_label("Audience"))
    page.keyboard.press("Tab")
    expect(page.get_by_label("Email", exact=True)).to_be_focused()
    page.keyboard.press("ArrowRight")
    expect(page.get_by_label("Website", exact=True)).to_be_focused()
    page.keyboard.press("Space")
    expect(page.get_by_label("Website", exact=True)).to_be_checked()
    stops = 0
    while not page.evaluate(
        "() => document.activeElement?.textContent?.trim() === 'Create campaign'"
    ):
        page.keyboard.press("Tab")
        stops += 1
        assert stops < 15, "too many Tab stops from the channels to Create campaign"
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/campaigns/[0-9a-f-]{36}$"))
    expect(page.get_by_role("button", name="Activate")).to_be_visible()
    after_action("creating the campaign")

    # Activate: focus stays among the status buttons
    _tab_to(page, page.get_by_role("button", name="Activate"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Pause")).to_be_visible()
    after_action("Activate")

    # Generate: focus moves to the result
    _tab_to(page, page.get_by_label("Prompt"))
    page.keyboard.type("Our keyboard-friendly launch")
    _tab_to(page, page.get_by_role("button", name="Generate", exact=True))
    page.keyboard.press("Enter")
    result = page.get_by_role("list", name="Generated assets").get_by_role("link")
    expect(result).to_have_count(1)
    after_action("Generate")

    # Open the asset, edit, save
    _tab_to(page, result.first)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/assets/[0-9a-f-]{36}$"))
    after_action("opening the asset")
    position = page.get_by_test_id("version-indicator")
    expect(position).to_have_text("Version 1 of 1")
    _tab_to(page, page.get_by_label("Content"))
    page.keyboard.press("End")
    page.keyboard.type(" Now with shortcuts.")
    _tab_to(page, page.get_by_role("button", name="Save"))
    page.keyboard.press("Enter")
    expect(position).to_have_text("Version 2 of 2")
    after_action("Save")

    # Undo and redo, by keyboard
    _tab_to(page, page.get_by_role("button", name="Undo"))
    page.keyboard.press("Enter")
    expect(position).to_have_text("Version 1 of 2")
    after_action("Undo")
    _tab_to(page, page.get_by_role("button", name="Redo"))
    page.keyboard.press("Enter")
    expect(position).to_have_text("Version 2 of 2")
    after_action("Redo")

    # With unsaved edits, Undo asks first; keeping them returns to Undo
    _tab_to(page, page.get_by_label("Content"))
    page.keyboard.type(" Draft.")
    _tab_to(page, page.get_by_role("button", name="Undo"))
    page.keyboard.press("Enter")
    dialog = page.get_by_role("alertdialog", name="Discard your unsaved changes?")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("button", name="Keep editing")).to_be_focused()
    page.keyboard.press("Escape")
    expect(page.get_by_role("button", name="Undo")).to_be_focused()
    expect(position).to_have_text("Version 2 of 2")
    page.keyboard.press("Enter")
    dialog.get_by_role("button", name="Discard and undo").press("Enter")
    expect(position).to_have_text("Version 1 of 2")
    after_action("Discard and undo")


def test_a_field_the_api_refuses_shows_its_reason_beside_it(page: Page) -> None:
    # Given the sign-in form and an address the form's own check lets through but the API
    # refuses (a reserved domain: the API's email check knows special-use names)
    page.goto("/login")
    email = page.get_by_label("Email", exact=True)
    email.fill("someone@shop.test")
    # When it is sent
    page.get_by_role("button", name="Sign in").click()
    # Then the 422's message is beside the Email field: invalid, focused, read with it
    expect(email).to_have_attribute("aria-invalid", "true")
    expect(email).to_have_accessible_description(re.compile("special-use or reserved name"))
    expect(email).to_be_focused()
    expect(page.get_by_text("The request is not valid")).to_have_count(0)
    expect(page).to_have_url(re.compile(r"/login$"))
    # And a corrected address clears it and signs in
    email.fill(f"fixed-{uuid.uuid4().hex[:8]}@example.com")
    expect(email).not_to_have_attribute("aria-invalid", "true")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/campaigns$"))


# ---- a detail page's record in the server's HTML ---------------------------------------------

TOKEN_COOKIE = "asset-engine.token"  # frontend/lib/token-cookie.ts


def _server_html(site: Site, path: str, token: str | None) -> str:
    cookies = {TOKEN_COOKIE: token} if token is not None else {}
    response = httpx.get(f"{site.web}{path}", cookies=cookies, timeout=30)
    assert response.status_code == 200, response.text[-500:]
    return response.text


def _html_title(html: str) -> str:
    found = re.search(r"<title>(.*?)</title>", html, re.S)
    assert found, "no <title>"
    return unescape(found.group(1))


def test_a_detail_page_arrives_with_its_record_rendered_and_hydrates_without_a_mismatch(
    page: Page, site: Site
) -> None:
    # Given a signed-in marketer (the token mirrored in a cookie) with a campaign and copy
    _sign_in(page)
    token = next(c["value"] for c in page.context.cookies() if c["name"] == TOKEN_COOKIE)
    with _api_session(page, site) as api:
        campaign = api.post(
            "/api/v1/campaigns",
            json={"name": "Spring launch", "objective": "Bookings", "start_date": "2026-03-01"},
        ).json()
        text = api.post(
            "/api/v1/ai/generate-text",
            json={"prompt": "Spring menu", "asset_type": "social_post", "campaign_id": campaign["id"]},
            headers={"Idempotency-Key": str(uuid.uuid4())},
        ).json()["assets"][0]  # fmt: skip
    asset_path, campaign_path = f"/assets/{text['id']}", f"/campaigns/{campaign['id']}"

    # When the browser asks for the pages, the server's HTML carries the record and is named after it
    html = _server_html(site, asset_path, token)
    editor = re.search(r'<textarea[^>]*id="asset-content"[^>]*>(.*?)</textarea>', html, re.S)
    # (React writes a leading newline before copy that starts with one: the parser drops it)
    assert editor and unescape(editor.group(1)) in (text["content"], "\n" + text["content"])
    assert _html_title(html) == f"{text['title']} · asset-engine"
    html = _server_html(site, campaign_path, token)
    assert re.search(r"<h1[^>]*>.*Spring launch", html)
    assert _html_title(html) == "Spring launch · asset-engine"

    # ... and without the cookie, or with one the API refuses, the skeleton the browser fills in
    for refused in (None, "not-a-token", token[:-4] + "AAAA"):
        html = _server_html(site, asset_path, refused)
        assert "Loading asset" in html and 'id="asset-content"' not in html
        assert _html_title(html) == "Asset · asset-engine"

    # Then in a browser of another language and time zone than the server's, both pages hydrate
    # without a mismatch (React would log one as an error)
    browser = page.context.browser
    assert browser is not None
    elsewhere = browser.new_context(
        base_url=site.web, locale="de-DE", timezone_id="America/New_York"
    )
    session = page.evaluate("() => localStorage.getItem('asset-engine.session')")
    visitor = elsewhere.new_page()
    visitor.goto("/login")
    visitor.evaluate("session => localStorage.setItem('asset-engine.session', session)", session)
    # (after the session: a page loaded without one takes the cookie away)
    elsewhere.add_cookies([{"name": TOKEN_COOKIE, "value": token, "url": site.web}])
    errors: list[str] = []
    asset_reads: list[str] = []
    visitor.on(
        "request",
        lambda request: (
            asset_reads.append(request.url)
            if request.url == f"{site.api}/api/v1{asset_path}"
            else None
        ),
    )
    visitor.on("pageerror", lambda error: errors.append(str(error)))
    visitor.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    visitor.goto(asset_path)
    expect(visitor.get_by_label("Content")).to_have_value(text["content"])
    # ... its date written in the server's fixed way until hydrated, then in the browser's
    expect(visitor.get_by_text(re.compile(r"^Created \d+\. "))).to_be_visible()
    visitor.wait_for_load_state("networkidle")
    # ... and the browser does not read the asset the server has put in the page
    assert asset_reads == []
    visitor.goto(campaign_path)
    expect(visitor.get_by_role("heading", name="Spring launch")).to_be_visible()
    expect(visitor.get_by_text(re.compile(r"updated \d+\. "))).to_be_visible()
    visitor.wait_for_load_state("networkidle")
    assert errors == []

    # And signing out takes the cookie away
    visitor.goto(asset_path)
    visitor.get_by_role("button", name="Sign out").click()
    expect(visitor).to_have_url(re.compile(r"/login$"))
    assert [c for c in elsewhere.cookies() if c["name"] == TOKEN_COOKIE] == []


def test_a_page_opened_signed_out_is_where_signing_in_returns(page: Page, site: Site) -> None:
    # Given a marketer's campaign, and the marketer signed out
    email = _sign_in(page)
    with _api_session(page, site) as api:
        campaign = api.post("/api/v1/campaigns", json={"name": "Shared by a colleague"}).json()
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/login$"))

    # When they open a link to it: the sign-in page remembers it, and signing in returns there
    target = f"/campaigns/{campaign['id']}?from=mail"
    page.goto(target)
    expect(page).to_have_url(f"{site.web}/login?next={quote(target, safe='')}")
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{site.web}{target}")
    expect(page.get_by_role("heading", name="Shared by a colleague")).to_be_visible()

    # When the session ends on its own on that page (the API refuses an expired token), the
    # sign-in page remembers the page too
    page.evaluate(
        """() => {
            const key = "asset-engine.session";
            const stored = JSON.parse(localStorage.getItem(key));
            localStorage.setItem(key, JSON.stringify({ ...stored, access_token: "expired" }));
        }"""
    )
    page.reload()
    expect(page).to_have_url(re.compile(r"/login\?next=%2Fcampaigns%2F"))

    # But a `next` that leaves the site (or loops to sign-in) leads to the campaigns instead
    for crafted in ("//evil.example/x", "https://evil.example/x", "/login?next=/login"):
        page.goto(f"/login?next={quote(crafted, safe='')}")
        page.get_by_label("Email", exact=True).fill(email)
        page.get_by_role("button", name="Sign in").click()
        expect(page).to_have_url(f"{site.web}/campaigns")
        page.get_by_role("button", name="Sign out").click()
        expect(page).to_have_url(re.compile(r"/login$"))  # signed out here: nothing to return to

    # And a mistyped link says there is no such campaign (not the API's validation message)
    _sign_in(page)
    page.goto("/campaigns/not-a-uuid")
    expect(page.get_by_text("Campaign not found")).to_be_visible()


def test_an_edit_refused_as_stale_can_be_saved_on_top_of_the_other_change(
    page: Page, site: Site
) -> None:
    # Given a marketer editing a text asset in this tab
    _sign_in(page)
    with _api_session(page, site) as api:
        asset = api.post(
            "/api/v1/assets", json={"kind": "text", "title": "Menu line", "content": "First."}
        ).json()
        page.goto(f"/assets/{asset['id']}")
        position = page.get_by_test_id("version-indicator")
        expect(position).to_have_text("Version 1 of 1")
        page.get_by_label("Content").fill("Mine, carefully written.")
        # ... while the same asset is saved elsewhere (another tab)
        api.patch(f"/api/v1/assets/{asset['id']}", json={"content": "Theirs."})

        # When they save: refused as stale, and offered both ways out
        page.get_by_role("button", name="Save", exact=True).click()
        expect(page.get_by_text("This asset changed since you opened it")).to_be_visible()
        expect(page.get_by_label("Content")).to_have_value("Mine, carefully written.")
        page.get_by_role("button", name="Save mine as newest").click()

        # Then theirs is version 2 and theirs-then-mine version 3, the one shown
        expect(position).to_have_text("Version 3 of 3")
        expect(page.get_by_label("Content")).to_have_value("Mine, carefully written.")
        history = api.get(f"/api/v1/assets/{asset['id']}/versions").json()
        contents = {v["version"]: v["content"] for v in history["items"]}
        assert contents == {1: "First.", 2: "Theirs.", 3: "Mine, carefully written."}


def test_a_campaigns_details_can_be_edited_in_place_until_it_is_archived(
    page: Page, site: Site
) -> None:
    # Given a campaign with a typo in its name
    _sign_in(page)
    with _api_session(page, site) as api:
        campaign = api.post(
            "/api/v1/campaigns",
            json={"name": "Sprng sale", "audience": "Everyone", "start_date": "2027-03-01"},
        ).json()
        page.goto(f"/campaigns/{campaign['id']}")
        expect(page.get_by_role("heading", name="Sprng sale")).to_be_visible()

        # When they open its details: the form holds them, focus in its first field; Escape
        # closes it and focus goes back to the button
        page.get_by_role("button", name="Edit details").click()
        form = page.get_by_role("form", name="Edit campaign")
        expect(form.get_by_label("Name", exact=True)).to_be_focused()
        expect(form.get_by_label("Audience")).to_have_value("Everyone")
        page.keyboard.press("Escape")
        expect(page.get_by_role("button", name="Edit details")).to_be_focused()

        # When they fix the name, clear the audience and pick an end before the start
        page.get_by_role("button", name="Edit details").click()
        form.get_by_label("Name", exact=True).fill("Spring sale")
        form.get_by_label("Audience").fill("")
        form.get_by_label("End date").fill("2027-02-01")
        form.get_by_role("button", name="Save changes").click()
        # Then the dates are refused beside the field, and nothing is saved
        expect(form.get_by_text("The end date must be on or after the start date.")).to_be_visible()
        assert api.get(f"/api/v1/campaigns/{campaign['id']}").json()["name"] == "Sprng sale"

        # When the end is after the start: saved, shown, and so in the API
        form.get_by_label("End date").fill("2027-03-31")
        form.get_by_role("button", name="Save changes").click()
        expect(page.get_by_role("heading", name="Spring sale")).to_be_visible()
        expect(form).to_have_count(0)
        saved = api.get(f"/api/v1/campaigns/{campaign['id']}").json()
        assert (saved["name"], saved["audience"], saved["end_date"]) == (
            "Spring sale", None, "2027-03-31"
        )  # fmt: skip

        # And an archived campaign offers no edit
        api.patch(f"/api/v1/campaigns/{campaign['id']}/status", json={"status": "archived"})
        page.reload()
        expect(page.get_by_role("heading", name="Spring sale")).to_be_visible()
        expect(page.get_by_role("button", name="Edit details")).to_have_count(0)


def test_a_link_shows_its_page_is_on_its_way(page: Page, site: Site) -> None:
    # Given a campaign in the list, and its page slow to come (the server reads its record first)
    _sign_in(page)
    with _api_session(page, site) as api:
        campaign = api.post("/api/v1/campaigns", json={"name": "Slow to open"}).json()
    page.reload()
    held: list[Route] = []
    slow_page = re.compile(rf"/campaigns/{campaign['id']}(\?|$)")
    page.route(slow_page, lambda route: held.append(route))
    link = page.get_by_role("link", name="Slow to open")
    # When the marketer opens it
    link.click()
    # Then, while the page is on its way, the link and the pointer say so
    expect(link).to_have_css("opacity", "0.6")
    expect(page.locator("html")).to_have_css("cursor", "progress")
    # And once it arrives, the wait is gone
    for route in held:
        route.continue_()
    page.unroute(slow_page)
    expect(page.get_by_role("heading", name="Slow to open")).to_be_visible()
    expect(page.locator("[data-link-pending]")).to_have_count(0)
    expect(page.locator("html")).not_to_have_css("cursor", "progress")


def _axe_violations(page: Page) -> list[str]:
    page.add_script_tag(path=str(AXE_JS))
    found = page.evaluate("async () => (await axe.run(document)).violations")
    return [
        f"{v['impact']} {v['id']}: {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in found
        if v["impact"] in ("serious", "critical")
    ]


def test_every_page_has_no_serious_accessibility_violation_on_desktop_and_phone(
    page: Page, site: Site
) -> None:
    # Given a marketer with content: a campaign with copy and an image
    if not AXE_JS.is_file():
        pytest.skip("axe-core is not installed (`npm ci` in frontend/)")
    page.goto("/login")
    problems = {"/login @1280": _axe_violations(page)}
    _sign_in(page)
    with _api_session(page, site) as api:
        campaign = api.post(
            "/api/v1/campaigns",
            json={
                "name": "Axe audit",
                "objective": "Everyone can use it",
                "channels": ["sms", "x"],
            },
        ).json()
        text = api.post(
            "/api/v1/ai/generate-text",
            json={"prompt": "Accessible shopping", "asset_type": "ad_copy", "campaign_id": campaign["id"],
                  "channel": "sms"},
            headers={"Idempotency-Key": str(uuid.uuid4())},
        ).json()["assets"][0]  # fmt: skip
        painted = api.post(
            "/api/v1/ai/generate-image",
            json={"prompt": "A calm storefront on a quiet morning street, editorial photograph",
                  "campaign_id": campaign["id"], "width": 512, "height": 512},
            headers={"Idempotency-Key": str(uuid.uuid4())},
        )  # fmt: skip
        assert painted.status_code == 202, painted.text
        image = painted.json()
        api.patch(f"/api/v1/assets/{text['id']}", json={"content": text["content"] + " Thanks!"})
    pages = {
        "/campaigns": page.get_by_role("link", name="Axe audit"),
        f"/campaigns/{campaign['id']}": page.get_by_role("heading", name="Axe audit"),
        "/ai-studio": page.get_by_role("heading", name="AI studio"),
        "/assets": page.get_by_role("list", name="Assets"),
        f"/assets/{text['id']}": page.get_by_test_id("copy-length"),
        f"/assets/{image['asset_id']}": page.get_by_test_id("version-indicator"),
        "/credits": page.get_by_role("region", name="Ledger table"),
        "/credits/cancel": page.get_by_role("heading").first,
        "/credits/success?session_id=cs_test_none": page.get_by_role("heading").first,
    }
    for width, height in ((1280, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        for path, ready in pages.items():
            page.goto(path)
            expect(ready).to_be_visible()
            page.wait_for_load_state("networkidle")
            problems[f"{path} @{width}"] = _axe_violations(page)
            overflow = page.evaluate("document.documentElement.scrollWidth - innerWidth")
            if overflow > 0:  # the page itself scrolls sideways (a long asset title did)
                problems[f"{path} @{width}"].append(f"{overflow} px wider than the screen")
    # Then none is serious or critical, and no page is wider than a phone
    assert {where: found for where, found in problems.items() if found} == {}


# ---- unsaved edits, Archive and archived campaigns ask before anything is lost or charged ------


def _asset_with_an_older_version(page: Page, site: Site) -> tuple[dict[str, Any], str]:
    """A signed-in marketer's copy at version 2 of 2 (version 1 as written); its page open."""
    _sign_in(page)
    with _api_session(page, site) as api:
        campaign = api.post("/api/v1/campaigns", json={"name": "Careful edits"}).json()
        text = api.post(
            "/api/v1/ai/generate-text",
            json={"prompt": "A calm weekend sale", "asset_type": "ad_copy", "campaign_id": campaign["id"]},
            headers={"Idempotency-Key": str(uuid.uuid4())},
        ).json()["assets"][0]  # fmt: skip
        edited = api.patch(
            f"/api/v1/assets/{text['id']}", json={"content": "Saved as version two."}
        )
        assert edited.status_code == 200, edited.text
    page.goto(f"/assets/{text['id']}")
    expect(page.get_by_test_id("version-indicator")).to_have_text("Version 2 of 2")
    return text, campaign["id"]


def _type_a_draft(page: Page, words: str) -> str:
    """Type into the editor as a person does (a click and keys: the page's user activation)."""
    content = page.get_by_label("Content")
    content.click()
    page.keyboard.press("End")
    page.keyboard.type(words)
    expect(page.get_by_text("Unsaved changes", exact=True)).to_be_visible()
    return content.input_value()


def test_unsaved_edits_are_not_replaced_by_refine_regenerate_or_restore_unless_the_marketer_agrees(
    page: Page, site: Site
) -> None:
    # Given copy at version 2 of 2, and a draft typed over it
    text, _ = _asset_with_an_older_version(page, site)
    position = page.get_by_test_id("version-indicator")
    balance = page.get_by_test_id("credits-balance")
    expect(balance).to_have_text("49 credits")
    draft = _type_a_draft(page, " A draft worth keeping.")
    dialog = page.get_by_role("alertdialog", name="Discard your unsaved changes?")

    # When they click Regenerate, Refine or Restore v1, each asks first; keeping the draft
    # leaves it, the version and the balance as they were, with focus back on the button
    regenerate = page.get_by_role("button", name="Regenerate")
    regenerate.click()
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("button", name="Discard and regenerate")).to_be_visible()
    expect(dialog.get_by_role("button", name="Keep editing")).to_be_focused()
    dialog.get_by_role("button", name="Keep editing").click()
    expect(dialog).to_be_hidden()
    expect(regenerate).to_be_focused()

    page.get_by_label("Refine instruction").fill("Make it shorter")
    page.get_by_role("button", name="Refine", exact=True).click()
    expect(dialog.get_by_role("button", name="Discard and refine")).to_be_visible()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(page.get_by_label("Refine instruction")).to_have_value("Make it shorter")

    restore = page.get_by_role("button", name="Restore v1")
    restore.click()
    expect(dialog.get_by_role("button", name="Discard and restore")).to_be_visible()
    expect(dialog).to_contain_text("Restore makes version 1 the current one")
    dialog.get_by_role("button", name="Keep editing").click()
    expect(restore).to_be_focused()

    expect(page.get_by_label("Content")).to_have_value(draft)
    expect(position).to_have_text("Version 2 of 2")
    with _api_session(page, site) as api:
        assert api.get("/api/v1/credits/balance").json()["balance"] == 49
        assert api.get(f"/api/v1/assets/{text['id']}").json()["latest_version"] == 2

    # When they agree to lose the draft, the action runs: Restore v1, then Refine (charged)
    restore.click()
    dialog.get_by_role("button", name="Discard and restore").click()
    expect(position).to_have_text("Version 3 of 3")
    expect(page.get_by_label("Content")).to_have_value(text["content"])
    _type_a_draft(page, " Another draft.")
    page.get_by_role("button", name="Refine", exact=True).click()
    dialog.get_by_role("button", name="Discard and refine").click()
    expect(position).to_have_text("Version 4 of 4")
    expect(page.get_by_label("Refine instruction")).to_have_value("")
    expect(balance).to_have_text("48 credits")

    # And with nothing unsaved, they run at once
    page.get_by_role("button", name="Regenerate").click()
    expect(position).to_have_text("Version 5 of 5")
    expect(dialog).to_be_hidden()


def test_leaving_an_asset_with_unsaved_edits_asks_by_link_and_by_reload(
    page: Page, site: Site
) -> None:
    # Given copy open with a draft typed over it
    text, campaign_id = _asset_with_an_older_version(page, site)
    asset_url = f"{site.web}/assets/{text['id']}"
    draft = _type_a_draft(page, " Not saved yet.")
    asked: list[tuple[str, str]] = []

    def answer(accept: bool) -> Callable[[Dialog], None]:
        def handle(dialog: Dialog) -> None:
            asked.append((dialog.type, dialog.message))
            if accept:
                dialog.accept()
            else:
                dialog.dismiss()

        return handle

    # When they follow a link in the app and cancel: they stay, draft and all
    page.once("dialog", answer(accept=False))
    page.get_by_role("link", name="Careful edits").click()
    assert [kind for kind, _ in asked] == ["confirm"]
    assert "unsaved changes" in asked[0][1]
    expect(page.get_by_label("Content")).to_have_value(draft)
    assert page.url == asset_url

    # When they reload and the browser's question is answered "stay": still there
    page.once("dialog", answer(accept=False))
    page.evaluate("() => { setTimeout(() => location.reload(), 0) }")
    deadline = time.monotonic() + 10
    while len(asked) < 2 and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    assert [kind for kind, _ in asked] == ["confirm", "beforeunload"]
    expect(page.get_by_label("Content")).to_have_value(draft)

    # When they follow the link and agree: they leave
    page.once("dialog", answer(accept=True))
    page.get_by_role("link", name="Careful edits").click()
    expect(page).to_have_url(f"{site.web}/campaigns/{campaign_id}")
    assert [kind for kind, _ in asked] == ["confirm", "beforeunload", "confirm"]

    # Then once the draft is saved (or discarded), nothing asks: links and reloads just go
    page.goto(asset_url)
    _type_a_draft(page, " Saved this time.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("version-indicator")).to_have_text("Version 3 of 3")
    page.on("dialog", answer(accept=False))
    page.reload()
    expect(page.get_by_test_id("version-indicator")).to_have_text("Version 3 of 3")
    _type_a_draft(page, " Discarded.")
    page.get_by_role("button", name="Discard changes").click()
    page.get_by_role("link", name="← Assets").click()
    expect(page).to_have_url(f"{site.web}/assets")
    assert len(asked) == 3


def test_archive_asks_first_and_cancelling_keeps_the_campaign_and_the_focus(
    page: Page, site: Site
) -> None:
    # Given a marketer's draft campaign, its page open
    _sign_in(page)
    with _api_session(page, site) as api:
        ending = api.post("/api/v1/campaigns", json={"name": "Summer is over"}).json()
        page.goto(f"/campaigns/{ending['id']}")
        expect(page.get_by_label("Prompt")).to_be_visible()

        # When they click Archive, it asks first (focus on Cancel); cancelling, by Escape or
        # the button, changes nothing and puts focus back on Archive
        archive = page.get_by_role("group", name="Change status").get_by_role(
            "button", name="Archive"
        )
        archive.click()
        dialog = page.get_by_role("alertdialog", name="Archive “Summer is over”?")
        expect(dialog).to_be_visible()
        expect(dialog).to_contain_text(re.compile(r"can.t change status again"))
        expect(dialog.get_by_role("button", name="Cancel")).to_be_focused()
        page.keyboard.press("Escape")
        expect(dialog).to_be_hidden()
        expect(archive).to_be_focused()
        archive.click()
        dialog.get_by_role("button", name="Cancel").click()
        expect(dialog).to_be_hidden()
        expect(archive).to_be_focused()
        assert api.get(f"/api/v1/campaigns/{ending['id']}").json()["status"] == "draft"

        # When they confirm, it is archived, and its page stops offering generation
        archive.click()
        dialog.get_by_role("button", name="Archive").click()
        expect(
            page.get_by_text(re.compile(r"^Archived campaigns can.t change status"))
        ).to_be_visible()
        expect(page.get_by_label("Prompt")).to_have_count(0)
        assert api.get(f"/api/v1/campaigns/{ending['id']}").json()["status"] == "archived"


def test_an_archived_campaign_offers_no_generation_and_no_picker_offers_it(
    page: Page, site: Site
) -> None:
    # Given a marketer with an archived campaign and an active one
    _sign_in(page)
    with _api_session(page, site) as api:
        ended = api.post("/api/v1/campaigns", json={"name": "Summer is over"}).json()
        running = api.post("/api/v1/campaigns", json={"name": "Autumn is running"}).json()
        for campaign, status in ((ended, "archived"), (running, "active")):
            moved = api.patch(f"/api/v1/campaigns/{campaign['id']}/status", json={"status": status})
            assert moved.status_code == 200, moved.text

    # When they open the archived one, it offers no generation, only a note
    page.goto(f"/campaigns/{ended['id']}")
    expect(page.get_by_text("This campaign is archived; its assets stay readable.")).to_be_visible()
    expect(page.get_by_role("heading", name="Suggestions")).to_be_visible()  # the rest is there
    expect(page.get_by_label("Prompt")).to_have_count(0)
    expect(page.get_by_role("button", name="Generate", exact=True)).to_have_count(0)
    expect(page.get_by_role("link", name="Images in the AI studio")).to_have_count(0)

    # ... the AI studio's picker and the new text asset's leave it out (the active one stays)
    page.goto("/ai-studio")
    picker = page.get_by_label("Campaign", exact=True)
    expect(picker.locator("option", has_text="Autumn is running")).to_have_count(1)
    expect(picker.locator("option", has_text="Summer is over")).to_have_count(0)
    page.goto("/assets")
    page.get_by_role("button", name="New text asset").click()
    picker = page.get_by_label("Asset campaign")
    expect(picker.locator("option", has_text="Autumn is running")).to_have_count(1)
    expect(picker.locator("option", has_text="Summer is over")).to_have_count(0)

    # ... and the studio opened for it (an old link) says so instead of offering its forms
    page.goto(f"/ai-studio?campaign_id={ended['id']}")
    expect(page.get_by_text("This campaign is archived; its assets stay readable.")).to_be_visible()
    picker = page.get_by_label("Campaign", exact=True)
    expect(picker).to_have_value(ended["id"])
    expect(picker.locator("option:checked")).to_have_text("Summer is over (archived)")
    expect(page.get_by_role("button", name="Generate", exact=True)).to_have_count(0)
    expect(page.get_by_role("button", name="Generate image")).to_have_count(0)
