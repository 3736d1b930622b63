"""Every printout embeds every font it references (archives expect PDF/A-style embedding)."""

from __future__ import annotations

import pytest
from pypdf import PdfReader

from gnbv_desktop.jobs.plan_reports import ANNEX, POSTING, SHEETS, render_report
from gnbv_desktop.jobs.progress import run_to_end


def _fonts(resources, seen: set[int]) -> list:
    """Font dictionaries of a resources dictionary, also inside form XObjects."""
    if resources is None or id(resources) in seen:
        return []
    seen.add(id(resources))
    resources = resources.get_object()
    fonts = list((resources.get("/Font") or {}).values())
    for xobject in (resources.get("/XObject") or {}).values():
        xobject = xobject.get_object()
        if xobject.get("/Subtype") == "/Form":
            fonts += _fonts(xobject.get("/Resources"), seen)
    return [f.get_object() for f in fonts]


def _embedded(font) -> bool:
    if font.get("/Subtype") == "/Type0":
        font = font["/DescendantFonts"][0].get_object()
    descriptor = font.get("/FontDescriptor")
    if descriptor is None:
        return False
    return any(k in descriptor.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3"))


@pytest.mark.parametrize("kind", [ANNEX, POSTING, SHEETS])
def test_every_font_of_every_page_is_embedded(demo_db, tmp_path, kind):
    out = tmp_path / f"{kind}.pdf"
    run_to_end(render_report(demo_db, kind, out, 2026))
    reader = PdfReader(out)
    names = set()
    for page in reader.pages:
        for font in _fonts(page.get("/Resources"), set()):
            names.add(str(font.get("/BaseFont")))
            assert _embedded(font), f"{kind}: font {font.get('/BaseFont')} is not embedded"
    assert names and not any("Helvetica" in n for n in names), names
