"""Two clean builds with the same SOURCE_DATE_EPOCH give byte-identical output, whatever
the directory, the time zone, the hash seed or the wall clock, for development and for
publishing alike, so anyone can check that the published site comes from this source."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import build


def tree(root) -> dict[str, bytes]:
    return {str(path.relative_to(root)): path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()}


@pytest.mark.parametrize(
    "settings, env",
    [
        ("pelicanconf.py", {}),
        ("publishconf.py", {"SITEURL": "https://owner.github.io/repo"}),
    ],
)
def test_two_clean_builds_are_byte_identical(tmp_path, settings, env):
    first = build(tmp_path / "first" / "output", settings=settings, PYTHONHASHSEED="1", TZ="UTC", **env)
    second = build(
        tmp_path / "second-build-elsewhere" / "site", settings=settings, PYTHONHASHSEED="2", TZ="Asia/Shanghai", **env
    )
    one, two = tree(first), tree(second)
    assert sorted(one) == sorted(two), f"different files: {sorted(set(one) ^ set(two))}"
    differing = [name for name in one if one[name] != two[name]]
    assert not differing, f"files that differ between two builds: {differing}"

    today = dt.datetime.now(dt.UTC).date().isoformat()
    leaks = [name for name, data in one.items() if str(tmp_path).encode() in data or today.encode() in data]
    assert not leaks, f"files that contain the build directory or today's date ({today}): {leaks}"
