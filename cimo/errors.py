"""The cimo error hierarchy.

Every error a user can cause is a :class:`CimoError`. Each concrete error also
subclasses the builtin exception a caller would naturally catch, so
``except KeyError`` still works for an unknown id and ``except ValueError`` for
a theory that does not hold together. Every class has a stable ``code``;
``docs/errors.md`` documents each code and a test keeps the two in sync.

Messages say *what* went wrong, *where* (file, line, column, rule or node id)
and *how to fix it*.

>>> from cimo.errors import UnknownIdError
>>> err = UnknownIdError("regulte", kind="mechanism", suggestions=("regulate",))
>>> print(err)
'regulte' is not a mechanism of this theory (did you mean 'regulate'?)
>>> isinstance(err, KeyError)
True
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import ClassVar

__all__ = [
    "CimoError",
    "FileFormatError",
    "InvalidTheoryError",
    "MissingDependencyError",
    "OutputError",
    "Problem",
    "RenderError",
    "TableError",
    "UnknownIdError",
    "UsageError",
    "error_codes",
]


class CimoError(Exception):
    """Base class of every error cimo raises on purpose."""

    #: A stable, documented code for this kind of error.
    code: ClassVar[str] = "cimo-error"


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
    """

    __slots__ = ("code", "column", "file", "hint", "line", "loc", "message")

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
        self.loc = tuple(loc)
        self.code = code
        self.hint = hint
        self.file = file
        self.line = line
        self.column = column

    @property
    def pointer(self) -> str:
        """The location as a JSON Pointer (RFC 6901) into the theory document."""
        parts = (str(p).replace("~", "~0").replace("/", "~1") for p in self.loc)
        return "".join("/" + p for p in parts)

    @property
    def where(self) -> str:
        """``file:line:column`` (as much of it as is known), or the JSON Pointer."""
        if self.file is None:
            return self.pointer or "/"
        if self.line is None:
            return f"{self.file}:{self.pointer}" if self.loc else self.file
        if self.column is None:
            return f"{self.file}:{self.line}"
        return f"{self.file}:{self.line}:{self.column}"

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
        self.file = file
        self.line = line
        self.column = column
        super().__init__(str(self))

    def __str__(self) -> str:
        where = ":".join(str(x) for x in (self.file, self.line, self.column) if x is not None)
        return f"{where}: {self.message}" if where else self.message


class UnknownIdError(CimoError, KeyError):
    """An id that is not in the theory (or not of the kind asked for).

    Args:
        id: The id that was not found.
        kind: What was looked for (``"node"``, ``"rule"``, ``"mechanism"``, ...).
        suggestions: Close matches to offer as "did you mean".
        where: What was searched, for the message (default ``"this theory"``).
    """

    code = "unknown-id"

    def __init__(
        self,
        id: str,
        *,
        kind: str = "node",
        suggestions: Sequence[str] = (),
        where: str | None = "this theory",
    ) -> None:
        self.id = id
        self.kind = kind
        self.suggestions = tuple(suggestions)
        self.where = where
        super().__init__(id)

    def __str__(self) -> str:
        article = "an" if self.kind[:1] in "aeiou" else "a"
        text = f"{self.id!r} is not {article} {self.kind}"
        if self.where:
            text += f" of {self.where}"
        if self.suggestions:
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
        self.file = file
        self.sheet = sheet
        self.row = row
        self.column = column
        super().__init__(str(self))

    def __str__(self) -> str:
        parts = []
        if self.file is not None:
            parts.append(self.file)
        if self.sheet is not None:
            parts.append(f"sheet {self.sheet!r}")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column is not None:
            parts.append(f"column {self.column}")
        return f"{', '.join(parts)}: {self.message}" if parts else self.message


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
