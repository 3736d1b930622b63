"""Text of a PDF as a reader would copy it, with pypdf (no system tool needed on a fresh machine)."""

from __future__ import annotations

from pathlib import Path

import pypdf


def pdf_text(path: str | Path, layout: bool = False) -> str:
    reader = pypdf.PdfReader(str(path))
    mode = "layout" if layout else "plain"
    # Pages end with a form feed, as pdftotext writes them, so tests can split per page.
    return "".join(page.extract_text(extraction_mode=mode) + "\f" for page in reader.pages)


def flat_pdf_text(path: str | Path) -> str:
    """Whitespace folded, for 'does this phrase appear' checks."""
    return " ".join(pdf_text(path).split())
