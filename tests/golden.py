"""The fixture site's golden output: tests/fixtures/golden holds what the fixture site
(tests/fixtures/site/content) builds into as of GOLDEN_CLOCK. tests/test_golden.py
compares a fresh build with it byte for byte; after an intended change to the
templates, the stylesheet, the catalogs or the plugin, `make golden` writes it again
(read the diff before committing it)."""

from __future__ import annotations

import datetime as dt
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
GOLDEN = HERE / "fixtures" / "golden"
GOLDEN_CLOCK = dt.date(2025, 1, 15)  # the urgent action open, the petition ended: both states


def build_fixture(output: Path) -> Path:
    from conftest import CONTENT, build

    return build(output, content=CONTENT, clock=GOLDEN_CLOCK)


def files(folder: Path) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


def main() -> int:
    sys.path.insert(0, str(HERE))
    with tempfile.TemporaryDirectory() as temporary:
        output = build_fixture(Path(temporary) / "output")
        if GOLDEN.exists():
            shutil.rmtree(GOLDEN)
        shutil.copytree(output, GOLDEN)
    print(f"{GOLDEN.relative_to(HERE.parent)}: {len(files(GOLDEN))} files written; review them with `git diff --stat`.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
