"""A problem found in the input, reported as `file:line: column: what is wrong`, and a
note saying what was read and how. Both carry a message key (etl.messages) and its
values, so the command line and the Validate page word them in either language."""
from __future__ import annotations

from dataclasses import dataclass, field

from . import messages


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int  # 0 when the problem concerns the whole file
    column: str
    message: str  # in English
    key: str = field(default="", compare=False)
    values: tuple = field(default=(), compare=False)  # (name, value) pairs for the key's template

    def __str__(self) -> str:
        return self.render("en")

    def reason(self, lang: str = "en") -> str:
        if lang == "en" or not self.key:
            return self.message
        return messages.text(self.key, lang, dict(self.values))

    def render(self, lang: str = "en") -> str:
        reason = self.reason(lang)
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.column}: {reason}" if self.column else f"{where}: {reason}"


def problem(file: str, line: int, column: str, key: str, **values) -> Problem:
    """A Problem worded by the catalogue."""
    return Problem(file, line, column, messages.text(key, "en", values), key, tuple(values.items()))


@dataclass(frozen=True)
class Note:
    key: str
    values: tuple = ()

    def __str__(self) -> str:
        return self.text("en")

    def text(self, lang: str = "en") -> str:
        return messages.text(self.key, lang, dict(self.values))


def note(key: str, **values) -> Note:
    return Note(key, tuple(values.items()))


class DataError(Exception):
    """The input is invalid; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        # A key sorts a million problems in C; the dataclass order would compare in Python.
        self.problems = sorted(problems, key=lambda p: (p.file, p.line, p.column, p.message))
        super().__init__(f"{len(self.problems)} problem(s) in the data")
