"""A one-endpoint docs project, for tests that generate from scratch under other settings (seconds, not minutes)."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import Sandbox

MANIFEST = """\
[output]
package = "things_api"
directory = "../generated"

[[page]]
path = "things.md"
flavour = "http"
"""

PAGE = """\
## Get a thing

**get** `/things/{thing_id}`

Gets a thing.

### Path Parameters

- `thing_id: string`

  The thing's ID.

### Returns

- `Thing object { id, name, object }`

  A thing.

  - `id: string`

    The ID of the thing.

  - `name: string`

    The name of the thing.

  - `object: "thing"`

    Always `thing`.

### Example

```http
curl https://api.example.com/v1/things/thing_1
```

#### Response

```json
{
  "id": "thing_1",
  "name": "One",
  "object": "thing"
}
```
"""


def make_tiny(root: Path, pyproject: str | None = None) -> Sandbox:
    """``root/specs`` with the one page, and ``root/pyproject.toml`` when given."""
    (root / "specs").mkdir(parents=True)
    (root / "specs" / "specs.toml").write_text(MANIFEST)
    (root / "specs" / "things.md").write_text(PAGE)
    if pyproject is not None:
        (root / "pyproject.toml").write_text(pyproject)
    return Sandbox(root)
