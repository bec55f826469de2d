"""Write the team spreadsheet of the new-user report (S2-S7, S23) as .xlsx and its CSV twin.

The layout is the one realist teams keep in Excel: a title merged across the
top, the headers in row 2, theme headings merged across the table ("Theme 1:
Making space to talk"), the mechanism split into resource and response
columns, prose with semicolons, several values on separate lines, mechanism
words in bold (Excel rich text), a status column and a "Supporting evidence"
column of ``N03 (Int 1): "quote"`` lines.

The CSV twin is what "Save as CSV" keeps: the same cells, the bold words
marked ``<b>...</b>`` (CSV has no formatting) and no merges.

Run from the repository root: ``python tests/data/team-table/make_team_table.py``.
"""

from __future__ import annotations

import csv
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.styles import Alignment, Font

HERE = Path(__file__).resolve().parent
TITLE = "Table 2. Refined programme theory: peer reflection circles for newly qualified nurses"
HEADERS = (
    "CMOC",
    "Context",
    "Mechanism – resource",
    "Mechanism – response",
    "Outcome",
    "Status",
    "Supporting evidence",
)
# A response cell is a list of (text, bold) runs; other cells are text.
Runs = list[tuple[str, bool]]
THEMES: list[tuple[str, list[tuple[str, str, str, Runs, str, str, str]]]] = [
    (
        "Theme 1: Making space to talk",
        [
            (
                "C1",
                "Newly qualified nurse on an acute ward\nProtected time for the circle",
                "Peers share their own first-year struggles",
                [
                    ("Nurses feel ", False),
                    ("normalised", True),
                    ("; their distress is common", False),
                ],
                "Reduced distress",
                "supported",
                'N03 (Int 1): "Hearing that the others cried in the car too, that helped."\n'
                'N07 (Int 2, 14:05): "You realise it is not just you."',
            ),
            (
                "C2",
                "Newly qualified nurse on an acute ward\nChronic understaffing",
                "Circle time is offered but cannot be taken",
                [("Frustration; feeling the ", False), ("organisation does not care", True)],
                "No change in distress; cynicism about wellbeing offers",
                "supported",
                'N11 (Int 4): "They give you a circle and then no one to cover you."',
            ),
            (
                "C3",
                "Senior nurse facilitates the circle",
                "A facilitator who names the unspoken rules of the ward",
                [("Nurses feel ", False), ("safe to ask", True), (" for help", False)],
                "Asking for help earlier",
                "hypothesised",
                "",
            ),
        ],
    ),
    (
        "Theme 2: Learning from each other",
        [
            (
                "C4",
                "Newly qualified nurse on an acute ward",
                "Stories of how peers handled a deteriorating patient",
                [("Nurses learn by ", False), ("vicarious learning", True)],
                "Confidence in clinical decisions",
                "supported",
                'N03 (Int 1): "I had never seen a sepsis six, but Amy told us step by step."\n'
                'N05 (Int 3): "It is like having a second preceptor."',
            ),
            (
                "C5",
                "Reduced distress\nConfidence in clinical decisions",
                "A sense that the ward is worth staying on",
                [("Nurses feel they ", False), ("belong", True), (" to the team", False)],
                "Intention to stay",
                "supported",
                'N07 (Int 2): "Without the circle I would have left by Christmas."',
            ),
            (
                "C6",
                "Reduced distress",
                "Fewer days lost to stress",
                [("Nurses ", False), ("recover", True), ("; they take fewer sick days", False)],
                "Reduced sickness absence",
                "refuted",
                'N11 (Int 4): "Sickness is about the rota, not about the circle."',
            ),
        ],
    ),
]


def _marked(runs: Runs) -> str:
    return "".join(f"<b>{text}</b>" if bold else text for text, bold in runs)


def _rich(runs: Runs) -> CellRichText:
    bold = InlineFont(b=True)
    return CellRichText(*(TextBlock(bold, t) if b else t for t, b in runs))


def write_xlsx(path: Path) -> None:
    book = Workbook()
    ws = book.active
    ws.title = "CMOCs"
    width = len(HEADERS)
    ws.append([TITLE])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws["A1"].font = Font(bold=True, size=14)
    ws.append(list(HEADERS))
    for cell in ws[2]:
        cell.font = Font(bold=True)
    for theme, rows in THEMES:
        ws.append([theme])
        ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=width)
        ws.cell(ws.max_row, 1).font = Font(bold=True, italic=True)
        for number, context, resource, response, outcome, status, evidence in rows:
            ws.append([number, context, resource, _rich(response), outcome, status, evidence])
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for letter, size in zip("ABCDEFG", (8, 30, 30, 34, 26, 12, 50), strict=True):
        ws.column_dimensions[letter].width = size
    book.save(path)


def write_csv(path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([TITLE])
        writer.writerow(HEADERS)
        for theme, rows in THEMES:
            writer.writerow([theme])
            for number, context, resource, response, outcome, status, evidence in rows:
                writer.writerow(
                    [number, context, resource, _marked(response), outcome, status, evidence]
                )


if __name__ == "__main__":
    write_xlsx(HERE / "team-cmo-table.xlsx")
    write_csv(HERE / "team-cmo-table.csv")
