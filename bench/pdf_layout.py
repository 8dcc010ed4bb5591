"""How long WeasyPrint takes to lay out the Årsrapport's appendix, by markup: 1,000 rows as a
table (as the report has it), as a list, or as paragraphs, with the portal's PDF stylesheet
and tagging (strategy_portal/pdf.py's options). No database; run from the checkout:

    .venv/bin/python bench/pdf_layout.py [rows]
"""

import sys
import time
from pathlib import Path

import weasyprint

CSS = (Path(__file__).resolve().parent.parent / "static" / "css" / "pdf.css").read_text()
LINE = ("01.03.2025", "2.1", "Eksempel: Møte med partnere om grønn omstilling", "Skien", "Kaunas")
HEADINGS = ("Dato", "Forpliktelse", "Aktivitet", "Sted", "Med")


def body(markup: str, rows: int) -> str:
    if markup == "table":
        head = "".join(f"<th>{h}</th>" for h in HEADINGS)
        cells = "".join(f"<tr>{''.join(f'<td>{c}</td>' for c in LINE)}</tr>" for _ in range(rows))
        return f"<table class=appendix><thead><tr>{head}</tr></thead><tbody>{cells}</tbody></table>"
    item = " · ".join(LINE)
    if markup == "list":
        return "<ul>" + f"<li>{item}</li>" * rows + "</ul>"
    return f"<p>{item}</p>" * rows


def seconds(markup: str, rows: int) -> float:
    html = (
        f"<!doctype html><html lang=nb><head><title>Vedlegg</title><style>{CSS}</style></head>"
        f"<body><h1>Vedlegg</h1>{body(markup, rows)}</body></html>"
    )
    started = time.monotonic()
    weasyprint.HTML(string=html).write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True)
    return time.monotonic() - started


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    for markup in ("table", "list", "paragraphs"):
        print(f"{count:,} rows as {markup}: {seconds(markup, count):.2f} s")
