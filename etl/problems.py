"""A problem found in the input, reported as `file:line: column: what is wrong`."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int  # 0 when the problem concerns the whole file
    column: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.column}: {self.message}" if self.column else f"{where}: {self.message}"


class DataError(Exception):
    """The input is invalid; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        # A key sorts a million problems in C; the dataclass order would compare in Python.
        self.problems = sorted(problems, key=lambda p: (p.file, p.line, p.column, p.message))
        super().__init__(f"{len(self.problems)} problem(s) in the data")
