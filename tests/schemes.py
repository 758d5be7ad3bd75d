"""Material's colour schemes in the browser tests, and the axe-core findings they must not have."""

from __future__ import annotations

import json

SCHEMES = ("default", "slate")  # Material's light and dark schemes
LAPTOP = {"width": 1366, "height": 900}


def scheme_context(browser, scheme: str, viewport: dict | None = None):
    """A browser context in one of Material's schemes: Material reads it from localStorage (`__palette`, scoped to
    the site's root path) before the page is drawn, so no colour transition is caught half-way."""
    ctx = browser.new_context(viewport=viewport or LAPTOP)
    palette = {
        "index": SCHEMES.index(scheme),
        "color": {"media": "", "scheme": scheme, "primary": "red", "accent": "red"},
    }
    ctx.add_init_script(f"localStorage.setItem('/.__palette', {json.dumps(json.dumps(palette))})")
    return ctx


def serious_violations(axe, page, label: str, example_chars: int = 120) -> list[str]:
    """axe-core's serious and critical violations on the page, one line each, prefixed with ``label``."""
    found = []
    for v in axe.run(page).response["violations"]:
        if v["impact"] in ("serious", "critical"):
            example = v["nodes"][0]["html"][:example_chars] if v["nodes"] else ""
            found.append(f"{label}: {v['id']} [{v['impact']}] × {len(v['nodes'])}, e.g. {example}")
    return found
