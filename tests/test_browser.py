"""Every page of the built site in a real browser (Debian's Chromium, driven by Playwright).

Serves _build/html on localhost, opens each page, and checks: no console
errors, no failed request, every image loaded, meaningful alt text, and no
serious or critical axe-core violation (WCAG 2 A/AA, contrast included).
A screenshot of each page goes to _build/screenshots/ for review.
"""

import functools
import http.server
import json
import shutil
import threading

import pytest

from analysis.paths import PROJECT_ROOT

pytestmark = pytest.mark.browser
HTML = PROJECT_ROOT / "_build" / "html"
SHOTS = PROJECT_ROOT / "_build" / "screenshots"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--disable-quic"]
PAGES = sorted(p.relative_to(HTML).as_posix() for p in (HTML / "book").glob("*.html")) if HTML.exists() else []


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    handler = functools.partial(_Quiet, directory=str(HTML))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield instance
        instance.close()


@pytest.mark.parametrize("page_path", PAGES)
def test_page_in_the_browser(server, browser, page_path):
    from axe_playwright_python.sync_playwright import Axe

    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors, failed = [], []
    page.on("console", lambda m: errors.append(f"{m.text} ({m.location.get('url')})") if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("requestfailed", lambda r: failed.append(r.url))
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.goto(f"{server}/{page_path}", wait_until="networkidle")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / page_path.replace("/", "_").replace(".html", ".png")), full_page=True)

    images = page.eval_on_selector_all("main img", "els => els.map(e => [e.getAttribute('src'), e.complete && "
                                       "e.naturalWidth > 0, e.getAttribute('alt') || ''])")
    # axe-core fetches stylesheets itself (resolving @import against the page, a 404 of its own),
    # so the page's own errors and requests are taken before it runs.
    own_errors, own_failed = list(errors), list(failed)
    broken = [src for src, loaded, _ in images if not loaded]
    poor_alt = [src for src, _, alt in images if len(alt) < 40 or alt.endswith(".png")]
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa"]}})
    serious = [{"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
               for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    page.close()
    assert own_errors == [], f"console errors: {own_errors}"
    assert own_failed == [], f"failed requests: {own_failed}"
    assert broken == [], f"images not loaded: {broken}"
    assert poor_alt == [], f"images without meaningful alt text: {poor_alt}"
    assert serious == [], json.dumps(serious, indent=1)
