"""The fixture site builds into exactly its golden output (tests/golden.py): any change
to what readers get, in any file, shows here first, as a diff to read."""

from __future__ import annotations

import difflib

from golden import GOLDEN, build_fixture, files


def test_the_fixture_site_builds_into_its_golden_output_byte_for_byte(tmp_path):
    built = files(build_fixture(tmp_path / "output"))
    golden = files(GOLDEN)
    assert sorted(built) == sorted(golden), "files added or missing: run `make golden` if the change is intended"
    changed = [name for name in built if built[name] != golden[name]]
    if changed:
        name = changed[0]
        try:
            diff = "\n".join(
                difflib.unified_diff(
                    golden[name].decode().splitlines(),
                    built[name].decode().splitlines(),
                    "golden/" + name,
                    "built/" + name,
                    lineterm="",
                    n=1,
                )
            )
        except UnicodeDecodeError:
            diff = f"{name} differs (binary)"
        raise AssertionError(
            f"{len(changed)} files differ from tests/fixtures/golden (run `make golden` if the change "
            f"is intended): {', '.join(changed[:10])}\n{diff[:4000]}"
        )
