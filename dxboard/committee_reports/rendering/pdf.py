"""The report as a PDF: the same `Document` as the Word file, laid out in HTML and CSS.

WeasyPrint embeds (subsets of) the fonts it uses, so diacritics render on any machine.
The fonts come from Debian (fonts-liberation2: Liberation Serif, metric-compatible with
Times New Roman); nothing is fetched: `url_fetcher` refuses every URL.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, NoReturn

from django.template.loader import render_to_string

from ..content import Document, recipient_lines

STYLESHEET = Path(__file__).with_name("report.css")
# WeasyPrint logs each layout step at INFO ("Step 5 - Creating layout - Page 1"), which
# filled the command's and the demo's output and the workers' logs; its warnings stay.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def _no_fetch(url: str, *args: Any, **kwargs: Any) -> NoReturn:
    raise ValueError(f"the report's PDF fetches nothing ({url})")


def render_html(document: Document) -> str:
    return render_to_string(
        "committee_reports/document_pdf.html",
        {"document": document, "recipient_lines": recipient_lines(document)},
    )


def render_pdf(document: Document) -> bytes:
    from weasyprint import CSS, HTML

    html = HTML(string=render_html(document), url_fetcher=_no_fetch, base_url=".")
    stylesheet = CSS(string=STYLESHEET.read_text(encoding="utf-8"), url_fetcher=_no_fetch)
    return html.write_pdf(stylesheets=[stylesheet])
