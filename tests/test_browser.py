"""Every page of the built site in a real browser (Debian's Chromium, driven by Playwright).

Serves _build/html on localhost and opens each page (the chapters and the source pages of the
functions that made the tables and figures):

- at 1280 px, in the light and the dark theme: no console errors, no failed
  request, every image loaded, meaningful alt text, and no serious or critical
  axe-core violation (WCAG 2 A/AA, contrast included);
- at 1280 and at 390 px: the page never scrolls sideways, and a table wider
  than its box is inside a box that scrolls (so nothing is clipped), with a
  "scroll →" hint; at 1280 px every table fits the text column;
- at both widths every figure is an SVG whose smallest text is shown at least
  :data:`MIN_CSS_PX` CSS pixels high (10 at 1280 px, 9 at 390 px): its font
  sizes (points, read from the SVG the browser chose, the phone-width rendition
  on a phone) times its rendered width over its own width.

Screenshots of each page at both widths (and dark at 1280) go to _build/screenshots/
(``book_<page>-1280.png``, ``book_<page>-390.png``, ``book_<page>-1280-dark.png``), and
the measured figure text sizes to ``_build/screenshots/figures.json``.
"""

import functools
import http.server
import json
import re
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
#: The chapters, and the highlighted source of the functions that made their tables and figures.
PAGES = sorted(p.relative_to(HTML).as_posix() for p in [*(HTML / "book").glob("*.html"),
                                                        *(HTML / "_modules").rglob("*.html")]) if HTML.exists() else []
#: A desktop and a phone.
WIDTHS = [1280, 390]
#: The smallest text a figure may show, in CSS pixels, at each width.
MIN_CSS_PX = {1280: 10.0, 390: 9.0}


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


@pytest.fixture(scope="module")
def legibility():
    """Each figure's measured text size, written to _build/screenshots/figures.json at the end.

    pytest-xdist may tear the fixture down between batches of a worker's tests, so each write adds to
    what the file holds (keyed by page, figure and width, each measured on every run)."""
    measured: dict = {}
    yield measured
    if measured:
        SHOTS.mkdir(parents=True, exist_ok=True)
        path = SHOTS / "figures.json"
        found = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
        path.write_text(json.dumps(found | measured, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def _shot(page, page_path: str, suffix: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    name = page_path.replace("/", "_").replace(".html", f"-{suffix}.png")
    page.screenshot(path=str(SHOTS / name), full_page=True)


def _axe(page) -> list[dict]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa"]}})
    return [{"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
            for v in results.response["violations"] if v["impact"] in ("serious", "critical")]


# `make browser` runs the two kinds of check side by side (pytest-xdist --dist loadgroup): each
# group has its own browser, and the figures' measures (legibility) are all taken in one.
@pytest.mark.xdist_group("accessibility")
@pytest.mark.parametrize("page_path", PAGES)
def test_page_in_the_browser(server, browser, page_path):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors, failed = [], []
    page.on("console", lambda m: errors.append(f"{m.text} ({m.location.get('url')})") if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("requestfailed", lambda r: failed.append(r.url))
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.goto(f"{server}/{page_path}", wait_until="networkidle")

    images = page.eval_on_selector_all("main img", "els => els.map(e => [e.getAttribute('src'), e.complete && "
                                       "e.naturalWidth > 0, e.getAttribute('alt') || ''])")
    # axe-core fetches stylesheets itself (resolving @import against the page, a 404 of its own),
    # so the page's own errors and requests are taken before it runs.
    own_errors, own_failed = list(errors), list(failed)
    broken = [src for src, loaded, _ in images if not loaded]
    poor_alt = [src for src, _, alt in images if len(alt) < 40 or re.search(r"\.(png|svg)$", alt)]
    serious = _axe(page)
    # the same page in the theme's dark mode (the pydata theme's switch sets data-theme on <html>)
    page.evaluate("document.documentElement.dataset.theme = 'dark'")
    page.wait_for_timeout(100)
    _shot(page, page_path, "1280-dark")
    serious_dark = _axe(page)
    page.close()
    assert own_errors == [], f"console errors: {own_errors}"
    assert own_failed == [], f"failed requests: {own_failed}"
    assert broken == [], f"images not loaded: {broken}"
    assert poor_alt == [], f"images without meaningful alt text: {poor_alt}"
    assert serious == [], "light theme: " + json.dumps(serious, indent=1)
    assert serious_dark == [], "dark theme: " + json.dumps(serious_dark, indent=1)


#: For each table: its width, the width of the box around it, whether that box scrolls and shows the
#: hint, whether anything around it clips it, and whether it lies inside the article's text column.
TABLES = """() => {
  const column = document.querySelector('article.bd-article').getBoundingClientRect();
  return [...document.querySelectorAll('main table')].map((table, i) => {
    const rect = table.getBoundingClientRect();
    let scroller = null, clipped = false;
    for (let el = table.parentElement; el && el !== document.body; el = el.parentElement) {
      const overflow = getComputedStyle(el).overflowX;
      if (overflow === 'auto' || overflow === 'scroll') { scroller = el; break; }
      const box = el.getBoundingClientRect();
      if ((overflow === 'hidden' || overflow === 'clip') && (rect.right > box.right + 1 || rect.left < box.left - 1)) {
        clipped = true;
      }
    }
    const box = scroller ? scroller.getBoundingClientRect() : null;
    const hint = scroller && scroller.previousElementSibling;
    return {
      index: i, head: (table.querySelector('th') || {}).textContent || '',
      width: Math.ceil(table.getBoundingClientRect().width), scrollWidth: table.scrollWidth,
      box: scroller ? Math.floor(scroller.clientWidth) : null,
      boxScrolls: scroller ? scroller.scrollWidth > scroller.clientWidth + 1 : false,
      hint: !!(hint && hint.classList.contains('ips-scroll-hint')),
      fade: !!(scroller && scroller.classList.contains('ips-more-right')),
      boxInColumn: box ? box.left >= column.left - 1 && box.right <= column.right + 1 : false,
      column: Math.floor(column.width), clipped,
    };
  });
}"""


def _svg_text_pt(svg: str) -> tuple[float, list[float]]:
    """A Matplotlib SVG's width in points and the size in points of each run of its text (drawn as
    glyph paths, each run scaled by size / 100)."""
    width = float(re.search(r'<svg [^>]*width="([\d.]+)pt"', svg).group(1))
    sizes = [100 * float(s) for s in re.findall(r'<g transform="translate\([^)]*\)(?: rotate\([^)]*\))? '
                                               r'scale\(([\d.]+) -[\d.]+\)"', svg)]
    return width, sizes


@pytest.mark.xdist_group("layout")
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("page_path", PAGES)
def test_page_layout(server, browser, legibility, page_path, width):
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(f"{server}/{page_path}", wait_until="networkidle")
    _shot(page, page_path, str(width))
    sideways = page.evaluate("[document.scrollingElement.scrollWidth, document.scrollingElement.clientWidth]")
    tables = page.evaluate(TABLES)
    # the file the browser shows (currentSrc: a <picture>'s narrow source on a phone), as a path in the site
    images = page.eval_on_selector_all("main img", "els => els.map(e => [new URL(e.currentSrc || e.src).pathname, "
                                       "e.getBoundingClientRect().width, !!e.closest('figure')])")
    page.close()

    assert sideways[0] <= sideways[1], f"the page scrolls sideways at {width} px: {sideways}"
    for t in tables:
        what = f"table {t['index']} ({t['head']!r}) at {width} px"
        assert not t["clipped"], f"{what} is clipped: {t}"
        if t["width"] > (t["box"] or t["column"]) + 1 or t["scrollWidth"] > t["width"] + 1:
            assert t["box"] is not None and t["boxScrolls"], f"{what} is wider than its box, which does not scroll: {t}"
        assert t["box"] is not None and t["boxInColumn"], f"{what}: its box is not inside the text column: {t}"
        if t["boxScrolls"]:
            assert t["hint"] and t["fade"], f"{what} scrolls without a visible cue: {t}"
        if width == 1280:
            assert not t["boxScrolls"] and t["width"] <= t["box"], f"{what} does not fit the text column: {t}"

    figures = [(src, shown) for src, shown, in_figure in images if in_figure]
    for number, (src, shown) in enumerate(figures, start=1):
        assert src.endswith(".svg"), f"figure {src} is not SVG at {width} px"
        svg = (HTML / src.lstrip("/")).read_text(encoding="utf-8")
        width_pt, sizes = _svg_text_pt(svg)
        assert sizes, f"no text found in {src}"
        # An SVG W pt wide is W * 4/3 CSS px at its own size, where text of s pt is s * 4/3 px high;
        # shown `shown` px wide, that text is s * shown / W CSS px.
        smallest = min(sizes) * shown / width_pt
        legibility[f"{page_path} figure {number} at {width} px"] = {
            "file": src.rsplit("/", 1)[-1],
            "smallest text (pt)": round(min(sizes), 2), "figure width (in)": round(width_pt / 72, 3),
            "shown width (CSS px)": round(shown, 1), "smallest text (CSS px)": round(smallest, 2)}
        assert smallest >= MIN_CSS_PX[width], (
            f"{src} on {page_path} at {width} px: its smallest text ({min(sizes):.1f} pt in a {width_pt / 72:.2f} in "
            f"figure shown {shown:.0f} px wide) is {smallest:.1f} CSS px, under {MIN_CSS_PX[width]}")


#: Each glued value's weight against its parent's, and each table of the report with its caption
#: (the article's own tables, in the reprint, have none: they are the article's).
READING = """() => ({
  values: Array.from(document.querySelectorAll("main span.ips-value")).map(v => [v.textContent,
    getComputedStyle(v).fontWeight, getComputedStyle(v.parentElement).fontWeight]),
  tables: Array.from(document.querySelectorAll("main table")).filter(t => !t.closest(".article-table"))
    .map(t => [t.querySelector("thead") ? t.querySelector("thead").textContent.trim().slice(0, 60) : "",
               t.querySelector("caption") ? t.querySelector("caption").textContent.trim() : ""]),
  marks: Array.from(document.querySelectorAll("main sup.article-link")).map(s => {
    const before = s.previousSibling; return before && before.nodeType === 3 ? before.textContent.slice(-1) : ""; }),
})"""


@pytest.mark.xdist_group("layout")
@pytest.mark.parametrize("page_path", [p for p in PAGES if p.startswith("book/")])
def test_numbers_look_like_text_and_every_table_has_a_caption(server, browser, page_path):
    """A glued number is as heavy as the words around it (bold only where the sentence is); every table
    of the report has a numbered caption; an article mark sits on its word, never after a space."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{server}/{page_path}", wait_until="networkidle")
    found = page.evaluate(READING)
    page.close()
    heavier = [text for text, weight, around in found["values"] if int(weight) > int(around)]
    assert heavier == [], f"glued values set heavier than their sentence on {page_path}: {heavier[:5]}"
    uncaptioned = [head for head, caption in found["tables"] if not re.match(r"Table\s+\d+\b", caption)]
    assert uncaptioned == [], f"tables without a numbered caption on {page_path}: {uncaptioned}"
    assert not [m for m in found["marks"] if m.isspace()], f"an article mark after a space on {page_path}"
