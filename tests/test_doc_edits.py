"""Edits to a doc change the generated code exactly where the edit is, and nowhere else."""

from __future__ import annotations

import difflib
from pathlib import Path

from tests.conftest import GENERATED, Sandbox

PAGE = "http/responses.compact.md"


def changed_lines(sandbox: Sandbox) -> dict[str, list[str]]:
    """Per generated file: the added (+) and removed (-) lines against the committed tree."""
    out: dict[str, list[str]] = {}
    for new in sorted(sandbox.generated.rglob("*.py")):
        rel = new.relative_to(sandbox.generated).as_posix()
        old = GENERATED / rel
        old_lines = old.read_text().splitlines() if old.exists() else []
        diff = [
            line
            for line in difflib.unified_diff(old_lines, new.read_text().splitlines(), lineterm="", n=0)
            if line[:1] in "+-" and not line.startswith(("+++", "---"))
        ]
        if diff:
            out[rel] = diff
    return out


def regenerate(sandbox: Sandbox) -> dict[str, list[str]]:
    result = sandbox.run("generate")
    assert result.returncode == 0, result.stderr
    return changed_lines(sandbox)


def insert_after(sandbox: Sandbox, anchor: str, block: str) -> None:
    path = sandbox.specs / PAGE
    text = path.read_text()
    at = text.index(anchor) + len(anchor)
    path.write_text(text[:at] + block + text[at:])


def test_adding_an_optional_field_to_a_nested_object(sandbox: Sandbox) -> None:
    sandbox.edit(
        PAGE,
        "`input_tokens_details: object { cached_tokens }`",
        "`input_tokens_details: object { cached_tokens, audio_tokens }`",
    )
    insert_after(
        sandbox,
        "        [More on prompt caching](/docs/guides/prompt-caching).\n",
        "\n      - `audio_tokens: optional number`\n\n        Audio input tokens.\n",
    )
    changes = regenerate(sandbox)
    assert list(changes) == ["openai_api/types/responses/response_usage.py"]
    added = [line for line in changes["openai_api/types/responses/response_usage.py"] if line.startswith("+")]
    assert "+    audio_tokens: float | None = None" in added
    assert '+    """Audio input tokens."""' in added
    assert any('"audio_tokens"' in line and "_rt.optional" in line for line in added)
    assert all(
        line.startswith("+")
        for line in changes["openai_api/types/responses/response_usage.py"]
        if "audio" not in line and "cached_tokens" not in line and line.strip("+- ")
    )


def test_adding_a_literal_value(sandbox: Sandbox) -> None:
    sandbox.edit(
        PAGE,
        '`service_tier: optional "auto" or "default" or "flex" or "priority"`',
        '`service_tier: optional "auto" or "default" or "flex" or 2 more`',
    )
    insert_after(sandbox, '  - `"flex"`\n\n  - `"priority"`\n', '\n  - `"scale"`\n')
    changes = regenerate(sandbox)
    assert sorted(changes) == ["openai_api/_client.py", "openai_api/types/responses/response_compact_params.py"]
    for lines in changes.values():
        assert [line[1:] for line in lines if line.startswith("+")] == [
            line[1:].replace('"priority"]', '"priority", "scale"]') for line in lines if line.startswith("-")
        ]
        assert all("service_tier" in line and '"scale"' in line for line in lines if line.startswith("+"))


def test_adding_a_union_member(sandbox: Sandbox) -> None:
    path = sandbox.specs / PAGE
    text = path.read_text()
    signature = (
        "`annotations: array of object { file_id, filename, index, type }  or object { end_index, start_index,"
        " title, 2 more }  or object { container_id, end_index, file_id, 3 more }  or object { file_id, index,"
        " type }`"
    )
    returns = text.index("### Returns")
    at = text.index(signature, returns)
    next_sibling = text.index("\n          - `", at + len(signature))
    member = (
        "\n            - `Link object { url, type }`\n\n              A link.\n\n"
        "              - `url: string`\n\n                The link's target.\n\n"
        '              - `type: "link"`\n\n                Always `link`.\n\n                - `"link"`\n'
    )
    text = text[:next_sibling] + "\n" + member.rstrip("\n") + text[next_sibling:]
    text = (
        text[:at]
        + signature.replace("index, type }`", "index, type }  or object { url, type }`")
        + text[at + len(signature) :]
    )
    path.write_text(text)
    changes = regenerate(sandbox)
    assert list(changes) == ["openai_api/types/responses/response_output_text.py"]
    added = "\n".join(line for line in changes["openai_api/types/responses/response_output_text.py"])
    assert "+class AnnotationLink:" in added
    assert '+    "link": AnnotationLink.from_dict,' in added
    assert "+    url: str" in added
    removed = [line for line in changes["openai_api/types/responses/response_output_text.py"] if line.startswith("-")]
    assert all("Annotation" in line or line.strip("- ") in ("", "]", ")") for line in removed), removed


def test_unchanged_doc_regenerates_nothing(sandbox: Sandbox) -> None:
    assert regenerate(sandbox) == {}
    assert (
        Path(sandbox.generated / ".docgen-manifest.json").read_text()
        == (GENERATED / ".docgen-manifest.json").read_text()
    )
