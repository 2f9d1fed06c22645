"""Batch print: packing slips (one page per order) and address labels (A4, 3 × 8).

WeasyPrint turns an HTML template into PDF: the slips and labels are ordinary templates with
print CSS (@page, mm sizes), so they are translated and escaped like every other page, and no
drawing code is needed.
"""

from __future__ import annotations

from django.template.loader import render_to_string

LABELS_PER_SHEET = 24  # 3 columns × 8 rows


def _pdf(template: str, context: dict) -> bytes:
    from weasyprint import HTML  # heavy: loaded when a PDF is made, not with every page

    html = render_to_string(template, context)
    return HTML(string=html).write_pdf()


def packing_slips(orders: list) -> bytes:
    return _pdf("materials/print/slips.html", {"orders": orders})


def address_labels(orders: list) -> bytes:
    sheets = [orders[i : i + LABELS_PER_SHEET] for i in range(0, len(orders), LABELS_PER_SHEET)]
    return _pdf("materials/print/labels.html", {"sheets": sheets})
