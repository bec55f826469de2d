r"""CMO tables in spreadsheets: read a CSV or XLSX table into a theory, write one back.

Most realist teams keep their theory as a table: one row per configuration,
with columns for the context, the mechanism and the outcome, often a number
and a theme. :func:`read_table` turns such a table into a :class:`~cimo.Theory`
and :func:`write_table` writes a theory back in the same shape.

* **The header row** is the first row with two values or more: title rows
  above it are skipped (the first becomes the theory's title); or give it
  with ``header_row=N`` (``--header-row N``).
* **Columns** are found from their headers (case-insensitive, with common
  synonyms: ``C``/``Context``, ``I``/``Intervention``, ``M``/``Mechanism``,
  ``O``/``Outcome``, ``No.``/``ID``/``CMOc`` (the printed number), ``Rule``
  (the rule id), ``Theme``/``Group``, ``Status``, ``Actor``, ``Evidence``,
  ``Links``/``Chain``, ``Relations``, ``Unless``, ``Reduces``, the rule
  keywords ``if``/``with``/``because``/``then``, and any header holding the
  word *resource*, *response*/*reasoning* or *evidence*/*quotes*, such as
  "Mechanism – resource"), or given with ``columns={"Header": "role"}``.
  A header that is neither is an error, so no column is dropped silently:
  map it to ``"ignore"`` to skip it. Every header problem is reported at
  once, ending with the ``--map`` options to paste.
* **Theme headings**: a row holding one value, merged across the row in a
  workbook or standing in the first column ("Theme 1: Making space to
  talk"), is a theme for the rows below it, never a rule.
* **Several values in one cell** are on separate lines (prose keeps its
  ``;``); give a ``separator`` for other layouts (a backslash keeps it in a
  value). A line ``OR`` between mechanisms makes them alternatives.
* **The same text in several rows is one node**, with a readable id made
  from the text (``"Doctors work in functional groups"`` becomes
  ``doctors-work-in-functional-groups``; a second, different text with the
  same slug gets ``-2``, in table order). A context worded exactly like an
  outcome of the table *is* that outcome: a chain.
* **Row numbers** in the ID column are kept as each rule's ``source_label``;
  the rule id is the Rule column, else made from the number (a row without
  one is ``unnumbered-<row>``).
* **Mechanisms** are named by the Mechanism column, else by the Response
  column, else by the Resource column; the Resource and Response columns
  give each mechanism its ``resource`` and ``reasoning`` (one line per
  mechanism, ``-`` for none).
* **Bold mechanism words**: when a mechanism or response cell marks words in
  bold (Excel rich text, or ``<b>...</b>``), the bold words are the
  mechanisms; the whole sentence is kept as each mechanism's
  ``description`` (with the markup) and ``reasoning`` (without it).
* **Evidence**: one entry per line, ``N03 (Int 1, 14:05): "quote"
  [refutes]``: participant, source (declared in the theory), locator,
  quote and stance; a line without a quote or stance is a note. A
  "Supporting" or "Refuting" evidence column gives its lines that stance.
* **Links** between rows: a ``Links`` cell naming row ``N`` says "this row's
  context is row N's outcome, worded differently" and becomes a
  :class:`~cimo.Link`.
* **Every problem at once**: a table with several problems raises one
  :class:`~cimo.errors.TableProblemsError` (a :class:`~cimo.errors.TableError`,
  also importable from here) that lists each with its row and column.

:func:`write_table` writes every column needed to read the theory back
(rule ids, printed numbers, themes, status, resource and response, OR,
evidence with participant, source and stance, relations), so reading what
it writes gives the same theory, up to what a table does not hold (node ids
other than those made from labels, source citations, the other fields of
the model).

The package has four parts: the cells (:class:`Table`, :func:`read_cells`,
:func:`write_cells`), the column roles (:func:`column_roles`), table ->
theory (:func:`table_to_theory`, :func:`read_table`) and theory -> table
(:func:`theory_to_table`, :func:`write_table`).

>>> import cimo, pathlib, tempfile
>>> from cimo.exchange.table import read_table, theory_to_table
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "cmo.csv").write_text(
...     "No.,C,M,O,Links\n"
...     "1,Lack of support,Doctors <b>make up</b> for it,Overwork normalised,\n"
...     "2,Overwork seen as normal,Doctors feel they are <b>letting down</b> others,"
...     "Presentism,1\n")
>>> theory = read_table(folder / "cmo.csv")
>>> [(r.id, r.source_label, r.mechanisms) for r in theory.rules]
[('row-1', '1', ('make-up',)), ('row-2', '2', ('letting-down',))]
>>> theory.links[0].outcome, theory.links[0].context
('overwork-normalised', 'overwork-seen-as-normal')
>>> print(theory_to_table(theory, roles=("id", "context", "mechanism", "outcome", "links")))
No. | Context | Mechanism | Outcome | Links
1 | Lack of support | Doctors <b>make up</b> for it | Overwork normalised |
2 | Overwork seen as normal | Doctors feel they are <b>letting down</b> others | Presentism | 1
"""

from cimo.errors import TableProblemsError
from cimo.exchange.table._cells import Table, read_cells, write_cells
from cimo.exchange.table._read import TableOptions, TableWarning, read_table, table_to_theory
from cimo.exchange.table._roles import ROLES, Role, column_roles, guess_role, parse_column_map
from cimo.exchange.table._write import theory_to_table, write_table

__all__ = [
    "ROLES",
    "Role",
    "Table",
    "TableOptions",
    "TableProblemsError",
    "TableWarning",
    "column_roles",
    "guess_role",
    "parse_column_map",
    "read_cells",
    "read_table",
    "table_to_theory",
    "theory_to_table",
    "write_cells",
    "write_table",
]
