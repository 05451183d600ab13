"""The pack as files: CSV (one row per figure), XLSX (a sheet per section, openpyxl) and PDF
(WeasyPrint, the dashboard's charts and tables on A4). Figures only, never a child."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from django.template.loader import render_to_string

from .charts import chart
from .pack import Pack

CSV_COLUMNS = ("section", "row", "column", "value")


def pack_rows(pack: Pack) -> Iterator[tuple[str, str, str, int]]:
    for section in pack.sections:
        for label, values in section.rows:
            for column, value in zip(section.columns, values, strict=True):
                yield section.title, label, column, value


def pack_csv(pack: Pack) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows(pack_rows(pack))
    return out.getvalue()


def pack_xlsx(pack: Pack) -> bytes:
    # openpyxl: the project's spreadsheet writer already (pyproject), pure Python, no Excel.
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    if book.active is not None:  # a new workbook's empty first sheet: not needed
        book.remove(book.active)
    about = book.create_sheet("About")
    about.append([pack.title])
    about["A1"].font = Font(bold=True, size=14)
    about.append(["From", pack.period_from])
    about.append(["To", pack.period_to])
    about.append(["Made on", pack.today])
    about.append(["Figures only: no child is named. Counting rules: docs/reports.md."])
    for section in pack.sections:
        # Sheet names: at most 31 characters, none of []:*?/\
        sheet = book.create_sheet(section.title[:31].translate(str.maketrans("", "", "[]:*?/\\")))
        sheet.append([section.title])
        sheet["A1"].font = Font(bold=True)
        sheet.append([section.what])
        sheet.append([])
        sheet.append(["", *section.columns])
        for cell in sheet[4]:
            cell.font = Font(bold=True)
        for label, values in section.rows:
            sheet.append([label, *values])
        for note in section.notes:
            sheet.append([note])
        sheet.column_dimensions["A"].width = 48
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def pack_html(pack: Pack) -> str:
    return render_to_string(
        "reports/pack_pdf.html",
        {"pack": pack, "sections": [(s, chart(s)) for s in pack.sections]},
    )


def pack_pdf(pack: Pack) -> bytes:
    from weasyprint import HTML  # a heavy import, only where a PDF is made

    pdf = HTML(string=pack_html(pack)).write_pdf()
    if pdf is None:
        raise RuntimeError("WeasyPrint made no PDF")
    return pdf
