r"""CMO tables in spreadsheets: read a CSV or XLSX table into a theory, write one back.

Most realist teams keep their theory as a table: one row per configuration,
with columns for the context, the mechanism and the outcome, often a number
and a theme. :func:`read_table` turns such a table into a :class:`~cimo.Theory`
and :func:`write_table` writes a theory back in the same shape.

* **Columns** are found from their headers (case-insensitive, with common
  synonyms: ``C``/``Context``, ``I``/``Intervention``, ``M``/``Mechanism``,
  ``O``/``Outcome``, ``No.``/``ID``/``CMOc``, ``Theme``/``Group``,
  ``Evidence``, ``Links``/``Chain``, ``Unless``, ``Reduces``, and the rule
  keywords ``if``/``with``/``because``/``then``), or given with
  ``columns={"Header": "role"}``. A header that is neither is an error, so no
  column is dropped silently: map it to ``"ignore"`` to skip it.
* **Several values in one cell** are separated by ``;`` (the ``separator``)
  or by new lines.
* **The same text in several rows is one node**, with a readable id made
  from the text (``"Doctors work in functional groups"`` becomes
  ``doctors-work-in-functional-groups``; a second, different text with the
  same slug gets ``-2``, in table order). A context worded exactly like an
  outcome of the table *is* that outcome: a chain.
* **Row numbers** in the ID column are kept as each rule's ``source_label``;
  a row without one stays unnumbered (its rule id is ``unnumbered-<row>``).
* **Links** between rows: a ``Links`` cell naming row ``N`` says "this row's
  context is row N's outcome, worded differently" and becomes a
  :class:`~cimo.Link`.
* **Bold mechanism words**: when a mechanism cell marks words in bold
  (``<b>...</b>``), the bold words are the mechanisms; the whole sentence
  is kept as each mechanism's ``description`` (with the markup) and
  ``reasoning`` (without it).
* **Every problem at once**: a table with several problems raises one
  :class:`~cimo.errors.TableProblemsError` (a :class:`~cimo.errors.TableError`,
  also importable from here) that lists each with its row and column.

Every cell survives the trip table -> theory -> table, up to spacing around
values and the separator (values are written back joined by ``"; "``).

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
>>> print(theory_to_table(theory, headers=("No.", "C", "M", "O", "Links")))
No. | C | M | O | Links
1 | Lack of support | Doctors <b>make up</b> for it | Overwork normalised |
2 | Overwork seen as normal | Doctors feel they are <b>letting down</b> others | Presentism | 1
"""

from cimo.errors import TableProblemsError
from cimo.exchange.table._cells import Table, read_cells, write_cells
from cimo.exchange.table._read import TableOptions, read_table, table_to_theory
from cimo.exchange.table._roles import ROLES, Role, column_roles, guess_role, parse_column_map
from cimo.exchange.table._write import theory_to_table, write_table

__all__ = [
    "ROLES",
    "Role",
    "Table",
    "TableOptions",
    "TableProblemsError",
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
