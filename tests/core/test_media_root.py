"""The media folder reused by the security and browser tests (tests/media_root.py): each test
finds exactly the files it should, whatever the test before it did to the folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.media_root import ReusedMedia


@pytest.fixture
def world_media(tmp_path: Path) -> Path:
    source = tmp_path / "world"
    (source / "proposals" / "2026").mkdir(parents=True)
    (source / "proposals" / "2026" / "plan.pdf").write_bytes(b"%PDF plan")
    (source / "covers").mkdir()
    return source


def files_of(folder: Path) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes() for path in folder.rglob("*") if path.is_file()}


def test_an_untouched_folder_is_kept_and_a_changed_one_refilled(tmp_path: Path, world_media: Path) -> None:
    media = ReusedMedia(tmp_path / "media")
    folder = media.ready(world_media)
    assert files_of(folder) == {"proposals/2026/plan.pdf": b"%PDF plan"}
    assert (folder / "covers").is_dir()
    kept = os.stat(folder / "proposals" / "2026" / "plan.pdf").st_ino
    assert os.stat(media.ready(world_media) / "proposals" / "2026" / "plan.pdf").st_ino == kept  # not copied again

    (folder / "covers" / "upload.png").write_bytes(b"png")  # a test uploads a file
    assert files_of(media.ready(world_media)) == {"proposals/2026/plan.pdf": b"%PDF plan"}

    (folder / "proposals" / "2026" / "plan.pdf").write_bytes(b"%PDF edit")  # same size, new content
    assert files_of(media.ready(world_media)) == {"proposals/2026/plan.pdf": b"%PDF plan"}

    (folder / "proposals" / "2026" / "plan.pdf").unlink()
    (folder / "covers").rmdir()
    assert media.ready(world_media) == folder
    assert files_of(folder) == {"proposals/2026/plan.pdf": b"%PDF plan"} and (folder / "covers").is_dir()


def test_a_test_without_the_world_gets_an_empty_folder(tmp_path: Path, world_media: Path) -> None:
    media = ReusedMedia(tmp_path / "media")
    media.ready(world_media)
    folder = media.ready(None)
    assert folder.is_dir() and not list(folder.iterdir())
    (folder / "upload.png").write_bytes(b"png")
    assert not list(media.ready(None).iterdir())


def test_another_world_replaces_the_files(tmp_path: Path, world_media: Path) -> None:
    media = ReusedMedia(tmp_path / "media")
    media.ready(world_media)
    other = tmp_path / "other-world"
    other.mkdir()
    (other / "logo.svg").write_bytes(b"<svg/>")
    assert files_of(media.ready(other)) == {"logo.svg": b"<svg/>"}
