"""ParseError: the one exception the parsing package lets out."""

from __future__ import annotations


class ParseError(Exception):
    """A file or text that cannot be read as a list.

    `file` is the file name (or "<text>"), `location` the place (``"line 12"``, ``"table 1, row 3"``,
    ``"sheet 清单, cell B4"``, ``"page 2"``) or "" when the whole file is at fault, `reason` says what is wrong.
    """

    def __init__(self, reason: str, *, file: str = "<text>", location: str = "") -> None:
        self.file = file
        self.location = location
        self.reason = reason
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"{self.file}: {self.location}" if self.location else self.file
        return f"{where}: {self.reason}"
