"""What the CTF package raises: every problem with the element it was found at."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CtfProblem:
    """One thing wrong with a file: `where` is an element path such as `Header/CTFversion`."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


class CtfError(ValueError):
    """A file that cannot be read, or a model that cannot be written, with every problem."""

    def __init__(self, problems: list[CtfProblem] | tuple[CtfProblem, ...]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(str(p) for p in self.problems))

    @classmethod
    def one(cls, where: str, message: str) -> CtfError:
        return cls([CtfProblem(where, message)])
