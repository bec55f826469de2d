"""The cimo error hierarchy.

Every error a user can cause is a :class:`CimoError`. Each concrete error also
subclasses the builtin exception a caller would naturally catch, so
``except KeyError`` still works for an unknown id and ``except ValueError`` for
a theory that does not hold together. Every class has a stable ``code``;
``docs/errors.md`` documents each code and a test keeps the two in sync.

Messages say *what* went wrong, *where* (file, line, column, rule or node id)
and *how to fix it*. The *where* is one record for every located problem, a
:class:`Location`: :class:`Problem`, :class:`FileFormatError`,
:class:`TableError` (and each problem of a :class:`TableProblemsError`) hold one
as ``.location``, and so does every finding of :func:`cimo.validate.validate`.

>>> from cimo.errors import UnknownIdError
>>> err = UnknownIdError("regulte", kind="mechanism", suggestions=("regulate",))
>>> print(err)
'regulte' is not a mechanism of this theory (did you mean 'regulate'?)
>>> isinstance(err, KeyError)
True
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, ClassVar, Generic, TypeVar, overload

from pydantic import BaseModel, ConfigDict, SerializerFunctionWrapHandler, model_serializer

__all__ = [
    "CimoError",
    "FileFormatError",
    "InvalidTheoryError",
    "Location",
    "MissingDependencyError",
    "OutputError",
    "Problem",
    "RenderError",
    "TableError",
    "TableProblemsError",
    "UnknownIdError",
    "UsageError",
    "error_codes",
]


class CimoError(Exception):
    """Base class of every error cimo raises on purpose."""

    #: A stable, documented code for this kind of error.
    code: ClassVar[str] = "cimo-error"


class Location(BaseModel):
    """Where something is: in a theory document, a text file, or a spreadsheet.

    Every field is optional; a location says as much as is known. The path
    inside the document is the same for a theory read from YAML, from JSON or
    built in Python; ``file``, ``line`` and ``column`` are added when the
    theory came from a file, ``sheet``, ``row`` and ``cell`` when it came from
    a spreadsheet.

    >>> at = Location(id="R3", path=("rules", 2, "because", 0), file="t.yaml", line=42, column=7)
    >>> print(at)
    t.yaml:42:7
    >>> at.pointer
    '/rules/2/because/0'
    >>> print(Location(path=("rules", 2)))
    /rules/2
    >>> print(Location(file="cmo.csv", row=5, cell="'ID' (A)"))
    cmo.csv, row 5, column 'ID' (A)
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str | None = None
    """The rule or node the location is about."""
    path: tuple[str | int, ...] = ()
    """The path inside the theory document, e.g. ``("rules", 3, "because", 0)``."""
    file: str | None = None
    """The file (None for a theory built in Python)."""
    line: int | None = None
    """1-based line in ``file``."""
    column: int | None = None
    """1-based column in ``file``."""
    sheet: str | None = None
    """The sheet of a spreadsheet (XLSX only)."""
    row: int | None = None
    """1-based spreadsheet row as a spreadsheet program shows it (the header is row 1)."""
    cell: str | None = None
    """The spreadsheet column: its header and letter, e.g. ``"'Mechanism' (C)"``."""

    @model_serializer(mode="wrap")
    def _drop_unused_spreadsheet_fields(
        self, handler: SerializerFunctionWrapHandler
    ) -> dict[str, Any]:
        """Leave the spreadsheet fields out of the data unless they are set."""
        data: dict[str, Any] = handler(self)
        for key in _SPREADSHEET_FIELDS:
            if data.get(key, 0) is None:
                del data[key]
        return data

    @property
    def pointer(self) -> str:
        """The path as a JSON Pointer (RFC 6901), e.g. ``/rules/3/because/0``."""
        return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in self.path)

    @property
    def position(self) -> str:
        """``file:line:column``, as much of it as is known (``""`` when nothing is).

        >>> Location(line=3, column=9).position
        '3:9'
        """
        return ":".join(str(x) for x in (self.file, self.line, self.column) if x is not None)

    @property
    def cell_position(self) -> str:
        """``file, sheet 'S', row 5, column 'ID' (A)``, as much of it as is known."""
        parts = []
        if self.file is not None:
            parts.append(self.file)
        if self.sheet is not None:
            parts.append(f"sheet {self.sheet!r}")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.cell is not None:
            parts.append(f"column {self.cell}")
        return ", ".join(parts)

    def __str__(self) -> str:
        if self.sheet is not None or self.row is not None or self.cell is not None:
            return self.cell_position
        if self.file is None:
            return self.pointer or "/"
        return self.position


_SPREADSHEET_FIELDS = ("sheet", "row", "cell")

_T = TypeVar("_T")


class _At(Generic[_T]):
    """A read-only attribute that reads one field of the object's ``location``.

    Every located problem keeps its position in one :class:`Location`; these
    attributes (``file``, ``line``, ``row``, ...) are views of it.
    """

    def __init__(self, field: str, doc: str) -> None:
        self.field = field
        self.__doc__ = doc

    @overload
    def __get__(self, obj: None, owner: type | None = None) -> _At[_T]: ...
    @overload
    def __get__(self, obj: object, owner: type | None = None) -> _T: ...
    def __get__(self, obj: object | None, owner: type | None = None) -> _At[_T] | _T:
        if obj is None:
            return self
        value: _T = getattr(obj.location, self.field)  # type: ignore[attr-defined]
        return value


class Problem:
    """One structural problem in a theory, with where it is and how to fix it.

    Args:
        message: What is wrong, naming the ids involved.
        loc: The path to the offending value inside the theory document, e.g.
            ``("rules", 3, "because", 0)``.
        code: A stable code such as ``"cimo.unknown_id"``.
        hint: How to fix it, if there is more to say than the message.
        file: The file the theory came from, if any.
        line: 1-based line of the offending value in ``file``.
        column: 1-based column of the offending value in ``file``.

    >>> p = Problem("rule R3: 'regulte' is not a mechanism", loc=("rules", 2, "because", 0),
    ...             code="cimo.unknown_id", file="theory.yaml", line=42, column=7)
    >>> str(p)
    "theory.yaml:42:7: rule R3: 'regulte' is not a mechanism"
    >>> p.pointer
    '/rules/2/because/0'
    >>> p.location.line
    42
    """

    __slots__ = ("code", "hint", "location", "message")

    def __init__(
        self,
        message: str,
        *,
        loc: Sequence[str | int] = (),
        code: str = "cimo.invalid",
        hint: str | None = None,
        file: str | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        self.message = message
        self.code = code
        self.hint = hint
        self.location = Location(path=tuple(loc), file=file, line=line, column=column)

    loc: _At[tuple[str | int, ...]] = _At(
        "path", "The path to the offending value inside the theory document."
    )
    file: _At[str | None] = _At("file", "The file the theory came from, if any.")
    line: _At[int | None] = _At("line", "1-based line of the offending value in ``file``.")
    column: _At[int | None] = _At("column", "1-based column of the offending value in ``file``.")
    pointer: _At[str] = _At(
        "pointer", "The location as a JSON Pointer (RFC 6901) into the theory document."
    )

    @property
    def where(self) -> str:
        """``file:line:column`` (as much of it as is known), or the JSON Pointer."""
        at = self.location
        if at.file is not None and at.line is None and at.path:
            return f"{at.file}:{at.pointer}"
        return str(at)

    def __str__(self) -> str:
        text = f"{self.where}: {self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text

    def __repr__(self) -> str:
        return f"Problem({self.message!r}, loc={self.loc!r}, code={self.code!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Problem):
            return NotImplemented
        return all(getattr(self, s) == getattr(other, s) for s in self.__slots__)

    def __hash__(self) -> int:
        return hash((self.message, self.loc, self.code))


class InvalidTheoryError(CimoError, ValueError):
    """A theory (from a file or built in Python) breaks a structural rule.

    Raised by the loaders and by the edit functions. It lists **all** the
    problems found, each with its location, not just the first.
    """

    code = "invalid-theory"

    def __init__(self, problems: Iterable[Problem], *, source: str | None = None) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        self.source = source
        super().__init__(self._render())

    def _render(self) -> str:
        n = len(self.problems)
        where = f"{self.source}: " if self.source else ""
        head = f"{where}the theory has {n} problem{'s' if n != 1 else ''}"
        lines = [head + ":"] + [f"  {p}" for p in self.problems]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self._render()


class FileFormatError(CimoError, ValueError):
    """A file cannot be read as a theory: missing, unreadable, not YAML/JSON, unsafe.

    Args:
        message: What is wrong and how to fix it.
        file: The file.
        line: 1-based line, when known.
        column: 1-based column, when known.
    """

    code = "file-format"

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        self.message = message
        self.location = Location(file=file, line=line, column=column)
        super().__init__(str(self))

    file: _At[str | None] = _At("file", "The file.")
    line: _At[int | None] = _At("line", "1-based line, when known.")
    column: _At[int | None] = _At("column", "1-based column, when known.")

    def __str__(self) -> str:
        where = self.location.position
        return f"{where}: {self.message}" if where else self.message


class UnknownIdError(CimoError, KeyError):
    """An id that is not in the theory (or not of the kind asked for).

    Args:
        id: The id that was not found.
        kind: What was looked for (``"node"``, ``"rule"``, ``"mechanism"``, ...).
        suggestions: Close matches to offer as "did you mean".
        where: What was searched, for the message (default ``"this theory"``).
        actual: The kind the id has, when it is in the theory but of another kind.
        use: Where an id of that kind goes instead (``"interventions= (-i)"``).

    >>> print(UnknownIdError("peer-circles", kind="context", actual="intervention", use="-i"))
    'peer-circles' is not a context of this theory: it is an intervention; use -i
    """

    code = "unknown-id"

    def __init__(
        self,
        id: str,
        *,
        kind: str = "node",
        suggestions: Sequence[str] = (),
        where: str | None = "this theory",
        actual: str | None = None,
        use: str | None = None,
    ) -> None:
        self.id = id
        self.kind = kind
        self.suggestions = tuple(suggestions)
        self.where = where
        self.actual = actual
        self.use = use
        super().__init__(id)

    def __str__(self) -> str:
        article = "an" if self.kind[:1] in "aeiou" else "a"
        text = f"{self.id!r} is not {article} {self.kind}"
        if self.where:
            text += f" of {self.where}"
        if self.actual:
            an = "an" if self.actual[:1] in "aeiou" else "a"
            text += f": it is {an} {self.actual}" + (f"; use {self.use}" if self.use else "")
        elif self.suggestions:
            text += " (did you mean " + " or ".join(repr(s) for s in self.suggestions) + "?)"
        return text


class MissingDependencyError(CimoError, ImportError):
    """An optional dependency is not installed; the message says what to install."""

    code = "missing-dependency"


class OutputError(CimoError, OSError):
    """An output file could not be written; nothing half-written is left behind."""

    code = "output"


class RenderError(CimoError, RuntimeError):
    """Graphviz could not make a picture: ``dot`` missing, the DOT rejected, or too slow."""

    code = "render"


class UsageError(CimoError, ValueError):
    """A function or command was called with options that do not fit together."""

    code = "usage"


class TableError(CimoError, ValueError):
    """A spreadsheet (CSV or XLSX) cannot be read as a CMO table.

    The message names the file, the sheet, the row and the column, says what
    is wrong and how to fix it.

    Args:
        message: What is wrong and how to fix it.
        file: The spreadsheet.
        sheet: The sheet (XLSX only).
        row: 1-based row number as a spreadsheet program shows it (the header is row 1).
        column: The column: its header and letter, e.g. ``"'Mechanism' (C)"``.

    >>> print(TableError("the ID '3' is used twice", file="cmo.csv", row=5, column="'ID' (A)"))
    cmo.csv, row 5, column 'ID' (A): the ID '3' is used twice
    """

    code = "table"

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        sheet: str | None = None,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        self.message = message
        self.location = Location(file=file, sheet=sheet, row=row, cell=column)
        super().__init__(str(self))

    file: _At[str | None] = _At("file", "The spreadsheet.")
    sheet: _At[str | None] = _At("sheet", "The sheet (XLSX only).")
    row: _At[int | None] = _At(
        "row", "1-based row number as a spreadsheet program shows it (the header is row 1)."
    )
    column: _At[str | None] = _At(
        "cell",
        "The column: its header and letter, e.g. ``\"'Mechanism' (C)\"`` (``location.cell``).",
    )

    def __str__(self) -> str:
        where = self.location.cell_position
        return f"{where}: {self.message}" if where else self.message


class TableProblemsError(TableError):
    """Several things wrong in one table: a :class:`TableError` listing each.

    ``problems`` holds one located :class:`TableError` per problem, in table
    order; the error's own ``location`` is the file (and sheet) they are in.
    :func:`cimo.exchange.table.read_table` reports every problem of a table at once.

    >>> err = TableProblemsError([
    ...     TableError("the ID '1' is already used in row 2", file="t.csv", row=3, column="A"),
    ...     TableError("'a' appears twice in this cell", file="t.csv", row=4, column="B"),
    ... ])
    >>> print(err)
    t.csv: the table has 2 problems:
      row 3, column A: the ID '1' is already used in row 2
      row 4, column B: 'a' appears twice in this cell
    >>> [p.location.row for p in err.problems]
    [3, 4]
    """

    code = "table-problems"

    def __init__(self, problems: Sequence[TableError], *, footer: str | None = None) -> None:
        self.problems: tuple[TableError, ...] = tuple(problems)
        first = self.problems[0] if self.problems else TableError("")
        n = len(self.problems)
        lines = [f"the table has {n} problem{'' if n == 1 else 's'}:"]
        lines += [f"  {TableError(p.message, row=p.row, column=p.column)}" for p in self.problems]
        if footer:
            lines.append(footer)
        super().__init__("\n".join(lines), file=first.file, sheet=first.sheet)


def error_codes() -> dict[str, type[CimoError]]:
    """Every error code, mapped to its class (documented in ``docs/errors.md``).

    >>> sorted(error_codes())[:3]
    ['cimo-error', 'file-format', 'invalid-theory']
    """
    found: dict[str, type[CimoError]] = {}
    todo: list[type[CimoError]] = [CimoError]
    while todo:
        cls = todo.pop()
        found.setdefault(cls.code, cls)
        todo.extend(cls.__subclasses__())
    return found
