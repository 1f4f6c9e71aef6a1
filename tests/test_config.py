"""`[tool.docgen]` in pyproject.toml sets the output; command-line flags override it; template overrides."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import black

from generator.config import Settings, load_project
from generator.diagnostics import format_diagnostic
from generator.render import _builtin_templates
from tests.tiny import make_tiny


def black_mode(line_length: int) -> black.Mode:
    return black.Mode(line_length=line_length, target_versions={black.TargetVersion.PY311})


TOOL = """\
[project]
name = "someone-elses-project"

[tool.docgen]
specs = "docs/specs.toml"
output = "build/client"
package = "acme_api"
templates = "my-templates"
line-length = 100
version = "2.1.0"
"""


def test_tool_table_sets_every_option(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "specs.toml").write_text('[output]\npackage = "from_manifest"\n')
    (tmp_path / "my-templates").mkdir()
    (tmp_path / "pyproject.toml").write_text(TOOL)
    nested = tmp_path / "src" / "deeper"
    nested.mkdir(parents=True)
    config, diagnostics = load_project(nested)  # found from a subdirectory, as black and ruff find theirs
    assert not diagnostics, [format_diagnostic(d) for d in diagnostics]
    assert config is not None
    assert config.manifest == tmp_path / "docs" / "specs.toml"
    assert config.out_dir == (tmp_path / "build" / "client").resolve()
    assert config.package == "acme_api"
    assert config.template_dir == (tmp_path / "my-templates").resolve()
    assert config.line_length == 100
    assert config.version == "2.1.0"


def test_flags_override_the_tool_table(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "specs.toml").write_text("")
    (tmp_path / "other.toml").write_text("")
    (tmp_path / "my-templates").mkdir()
    (tmp_path / "pyproject.toml").write_text(TOOL)
    cli = Settings(specs=tmp_path / "other.toml", output=tmp_path / "out", package="cli_api", line_length=88)
    config, diagnostics = load_project(tmp_path, cli)
    assert not diagnostics and config is not None
    assert (config.manifest, config.out_dir, config.package, config.line_length) == (
        tmp_path / "other.toml",
        (tmp_path / "out").resolve(),
        "cli_api",
        88,
    )
    assert config.version == "2.1.0"  # not given on the command line: the table's


def test_without_a_tool_table_the_manifest_and_defaults_apply(tmp_path: Path) -> None:
    make_tiny(tmp_path, pyproject='[project]\nname = "x"\n')
    config, diagnostics = load_project(tmp_path)
    assert not diagnostics and config is not None
    assert (config.package, config.out_dir, config.line_length, config.template_dir) == (
        "things_api",
        (tmp_path / "generated").resolve(),
        120,
        None,
    )


def test_bad_settings_are_diagnostics_at_their_line(tmp_path: Path) -> None:
    make_tiny(tmp_path, pyproject='[tool.docgen]\nline-length = "wide"\n  colour = "blue"\npackage = "not a name"\n')
    _, diagnostics = load_project(tmp_path)
    shown = [format_diagnostic(d) for d in diagnostics]
    assert "pyproject.toml:2:1: error[E022]: [tool.docgen] `line-length` must be a whole number" in shown
    assert any(s.startswith("pyproject.toml:3:3: error[E021]: unknown key `colour` in [tool.docgen]") for s in shown)
    assert "pyproject.toml:1:1: error[E003]: package 'not a name' is not a Python name" in shown


def test_cli_generates_with_the_tool_table_and_flags_win(tmp_path: Path) -> None:
    sandbox = make_tiny(tmp_path, pyproject='[tool.docgen]\noutput = "client"\nversion = "3.0.0"\nline-length = 60\n')
    result = sandbox.run("generate", "--line-length", "79")
    assert result.returncode == 0, result.stderr
    assert "output       client/ (package things_api)" in result.stdout
    init = (tmp_path / "client" / "things_api" / "__init__.py").read_text()
    assert '__version__ = "3.0.0"' in init
    assert 'version = "3.0.0"' in (tmp_path / "client" / "pyproject.toml").read_text()
    # The modules are black-stable at 79 columns, and some of them are not at the table's 60.
    modules = [p.read_text() for p in sorted((tmp_path / "client").rglob("*.py"))]
    assert all(black.format_str(m, mode=black_mode(79)) == m for m in modules)
    assert any(black.format_str(m, mode=black_mode(60)) != m for m in modules)
    assert not (tmp_path / "generated").exists()
    # The same settings give the same tree: `check` with them passes, with another line length it does not.
    assert sandbox.run("check", "--line-length", "79").returncode == 0
    assert sandbox.run("check", "-q").returncode == 1


def test_a_template_override_replaces_one_template(tmp_path: Path) -> None:
    """The user's directory is searched first, file by file; `builtin/NAME` reaches the shipped template."""
    plain = make_tiny(tmp_path / "plain")
    assert plain.run("generate").returncode == 0
    overridden = make_tiny(tmp_path / "overridden", pyproject='[tool.docgen]\ntemplates = "templates"\n')
    (tmp_path / "overridden" / "templates").mkdir()
    shutil.copy(_builtin_templates() / "errors.py.j2", tmp_path / "overridden" / "templates" / "errors.py.j2")
    custom = tmp_path / "overridden" / "templates" / "errors.py.j2"
    custom.write_text(custom.read_text().replace("import httpx\n", "import httpx\n\nOVERRIDDEN = True\n", 1))
    (tmp_path / "overridden" / "templates" / "package_init.py.j2").write_text(
        '{% extends "builtin/package_init.py.j2" %}\n'
    )
    result = overridden.run("generate")
    assert result.returncode == 0, result.stderr
    a, b = plain.generated, overridden.generated
    changed = sorted(
        p.relative_to(a).as_posix()
        for p in a.rglob("*")
        if p.is_file() and p.name != ".docgen-manifest.json" and "__pycache__" not in p.parts
        if p.read_bytes() != (b / p.relative_to(a)).read_bytes()
    )
    assert changed == ["things_api/_errors.py"]
    assert re.search(r"^OVERRIDDEN = True$", (b / "things_api" / "_errors.py").read_text(), re.MULTILINE)
    # An edit to the override is an input like any other: the drift check sees it.
    custom.write_text(custom.read_text().replace("OVERRIDDEN = True", "OVERRIDDEN = False"))
    assert overridden.run("check", "-q").returncode == 1


def test_a_missing_override_directory_is_an_error(tmp_path: Path) -> None:
    sandbox = make_tiny(tmp_path)
    result = sandbox.run("generate", "--templates", "nowhere")
    assert result.returncode == 1
    assert "error[E024]: the template override directory nowhere does not exist" in result.stderr
    assert not (tmp_path / "generated").exists()
