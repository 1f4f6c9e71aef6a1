"""The fenced blocks of README.md, each named by the `<!-- readme-test: NAME -->` line above it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from tests.conftest import ROOT

_BLOCK = re.compile(
    r"(?:<!-- readme-test: (?P<name>[\w-]+) -->\n)?```(?P<lang>\w*)\n(?P<body>.*?)^```$", re.MULTILINE | re.DOTALL
)


@dataclass(frozen=True)
class Block:
    name: str | None
    lang: str
    body: str

    def lines(self) -> list[str]:
        """A shell block's commands, without comments."""
        out = []
        for line in self.body.splitlines():
            command = line.split("  #", 1)[0].strip()
            if command and not command.startswith("#"):
                out.append(command)
        return out


def readme_blocks() -> list[Block]:
    text = (ROOT / "README.md").read_text()
    return [Block(m["name"], m["lang"], m["body"]) for m in _BLOCK.finditer(text)]


def block(name: str) -> Block:
    found = [b for b in readme_blocks() if b.name == name]
    assert len(found) == 1, f"README.md has {len(found)} blocks named {name!r}"
    return found[0]
