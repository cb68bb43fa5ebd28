"""Issue #17 at the store level: one save path for plan files (digest check, symlinks written
through, atomic, mode kept), raw text saved with the same checks, files that are not UTF-8
read with their bad bytes located and never rewritten untouched."""

from __future__ import annotations

import errno
import os
import stat
import tempfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from releve.planner import store
from releve.planner.errors import BadBytesError, ConflictError, PlanError

BROKEN = '[mission]\nid = "m"\nstart = 2027-01-04\n\n[company\nname = "Atelier"\n'
FIXED = '[mission]\nid = "m"\nstart = 2027-01-04\n\n[company]\nname = "Atelier"\n'
LATIN1 = '[mission]\nid = "m"\nstart = 2027-01-04\n\n[company]\nsector = "Menuiserie \xe9l\xe9gante"\n'.encode(
    "latin-1"
)


def state(path):
    st_ = os.lstat(path)
    return (path.read_bytes(), st_.st_ino, st_.st_mtime_ns, stat.S_IMODE(st_.st_mode))


# --- the digest check -----------------------------------------------------------------------


def test_a_fixed_file_is_not_overwritten_by_the_broken_text_it_was_opened_as(tmp_path):
    path = tmp_path / "plan.toml"
    path.write_text(BROKEN, encoding="utf-8")
    opened = store.open_text(path)
    path.write_text(FIXED, encoding="utf-8")  # a colleague fixes the file meanwhile
    with pytest.raises(ConflictError) as info:
        store.save_text(opened.text + "# mine\n", path, base=opened)
    assert str(info.value).startswith(f"{path}: the file changed on disk since it was loaded")
    assert path.read_text(encoding="utf-8") == FIXED
    # untouched, saving does not write either (and says nothing is lost: it is a conflict)
    with pytest.raises(ConflictError):
        store.save_text(opened.text, path, base=opened)
    assert path.read_text(encoding="utf-8") == FIXED
    written = store.save_text(opened.text + "# mine\n", path, base=opened, force=True)
    assert path.read_text(encoding="utf-8") == BROKEN + "# mine\n" == written.text


def test_saving_the_text_then_the_plan_checks_against_what_was_last_written(tmp_path):
    path = tmp_path / "plan.toml"
    path.write_text(BROKEN, encoding="utf-8")
    opened = store.open_text(path)
    saved = store.save_text(FIXED, path, base=opened)
    assert path.read_text(encoding="utf-8") == FIXED and saved.lossless
    base = saved.as_plan_file(store.loads(FIXED))
    new = base.plan.model_copy(deep=True)
    new.company.name = "Atelier Durand"
    store.save(new, path, base=base)  # no conflict: the digest is of what save_text wrote
    assert store.load(path).plan == new
    path.write_text(FIXED.replace("Atelier", "Autre"), encoding="utf-8")
    with pytest.raises(ConflictError):
        store.save(new, path, base=base)


def test_a_deleted_file_is_written_again(tmp_path):
    path = tmp_path / "plan.toml"
    path.write_text(BROKEN, encoding="utf-8")
    opened = store.open_text(path)
    path.unlink()
    store.save_text(opened.text, path, base=opened)
    assert path.read_text(encoding="utf-8") == BROKEN


# --- symlinks, mode, atomic -------------------------------------------------------------------


@pytest.mark.parametrize("what", ["text", "plan"])
def test_saving_through_a_symlink_writes_its_target_and_keeps_the_link(tmp_path, what):
    real = tmp_path / "real.toml"
    link = tmp_path / "link.toml"
    real.write_text(BROKEN if what == "text" else FIXED, encoding="utf-8")
    link.symlink_to(real.name)
    if what == "text":
        opened = store.open_text(link)
        store.save_text(FIXED, link, base=opened)
        expected = FIXED
    else:
        base = store.load(link)
        new = base.plan.model_copy(deep=True)
        new.company.name = "Atelier Durand"
        store.save(new, link, base=base)
        expected = FIXED.replace('"Atelier"', '"Atelier Durand"')
    assert link.is_symlink() and os.readlink(link) == real.name
    assert real.read_text(encoding="utf-8") == expected
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.toml", "real.toml"]


def test_a_conflict_through_a_symlink_is_detected(tmp_path):
    real = tmp_path / "real.toml"
    link = tmp_path / "link.toml"
    real.write_text(BROKEN, encoding="utf-8")
    link.symlink_to(real)
    opened = store.open_text(link)
    real.write_text(FIXED, encoding="utf-8")
    with pytest.raises(ConflictError):
        store.save_text("x = 1\n", link, base=opened)
    assert real.read_text(encoding="utf-8") == FIXED


def test_save_text_keeps_the_mode_and_refuses_a_read_only_file(tmp_path, monkeypatch):
    path = tmp_path / "plan.toml"
    path.write_text(BROKEN, encoding="utf-8")
    path.chmod(0o640)
    store.save_text(FIXED, path, base=store.open_text(path))
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    path.chmod(0o440)
    # root may write anything: ask the question a user's process would get answered
    monkeypatch.setattr(os, "access", lambda p, mode: not (mode & os.W_OK))
    with pytest.raises(PermissionError) as info:
        store.save_text(BROKEN, path, base=store.open_text(path))
    assert info.value.filename == str(path) and "read-only" in str(info.value)
    assert path.read_text(encoding="utf-8") == FIXED


@pytest.mark.parametrize("step", ["write", "fsync", "chmod", "replace"])
def test_a_failure_at_any_step_of_save_text_leaves_the_old_file_whole(tmp_path, monkeypatch, step):
    path = tmp_path / "plan.toml"
    path.write_text(BROKEN, encoding="utf-8")
    opened = store.open_text(path)

    def boom(*args, **kwargs):
        raise OSError(errno.EIO, f"injected failure in {step}")

    monkeypatch.setattr(os, step, boom)
    with pytest.raises(OSError) as info:
        store.save_text(FIXED * 100, path, base=opened)
    monkeypatch.undo()
    assert ".tmp" not in str(info.value) and info.value.filename == str(path)
    assert path.read_text(encoding="utf-8") == BROKEN
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.toml"]


def test_an_unwritable_folder_is_named_with_the_plan_not_the_temporary_file(tmp_path, monkeypatch):
    folder = tmp_path / "plans"
    folder.mkdir()
    path = folder / "plan.toml"
    path.write_text(BROKEN, encoding="utf-8")
    opened = store.open_text(path)
    if os.geteuid() == 0:  # root writes in any folder: make the folder refuse as it would
        real = tempfile.mkstemp

        def mkstemp(*args, dir=None, **kwargs):
            if dir is not None and os.path.samefile(dir, folder):
                name = os.path.join(dir, ".plan.toml.k2j4x.tmp")
                raise PermissionError(errno.EACCES, "Permission denied", name)
            return real(*args, dir=dir, **kwargs)

        monkeypatch.setattr(tempfile, "mkstemp", mkstemp)
    else:
        folder.chmod(0o555)
    try:
        with pytest.raises(PermissionError) as info:
            store.save_text(FIXED, path, base=opened)
        with pytest.raises(PermissionError) as info_plan:
            store.save(store.loads(FIXED), path)
    finally:
        folder.chmod(0o755)
    for err in (info.value, info_plan.value):
        line = f"{err.filename}: {err.strerror}"  # how the app and the CLI print an OSError
        assert line == f"{path}: Permission denied: cannot write in the folder {str(folder)!r}"
        assert ".tmp" not in str(err)
    assert path.read_text(encoding="utf-8") == BROKEN


def test_exclusive_creates_a_new_file_only(tmp_path):
    path = tmp_path / "new.toml"
    store.save_text(FIXED, path, exclusive=True)
    assert path.read_text(encoding="utf-8") == FIXED
    with pytest.raises(FileExistsError) as info:
        store.save_text(BROKEN, path, exclusive=True)
    assert info.value.filename == str(path)
    assert path.read_text(encoding="utf-8") == FIXED
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.toml"]


# --- files that are not UTF-8 ------------------------------------------------------------------


def test_a_latin1_plan_is_read_with_its_bad_bytes_located(tmp_path):
    path = tmp_path / "plan.toml"
    path.write_bytes(LATIN1)
    with pytest.raises(PlanError) as info:
        store.load(path)
    opened = store.open_text(path)
    assert [(b.line, b.column, b.data) for b in opened.bad] == [(6, 22, b"\xe9"), (6, 24, b"\xe9")]
    assert (info.value.line, info.value.column) == (opened.bad[0].line, opened.bad[0].column)
    assert opened.text.splitlines()[5] == 'sector = "Menuiserie \ufffdl\ufffdgante"'
    assert str(opened.bad[0]) == "line 6, column 22: 0xe9"
    assert not opened.lossless


def test_an_untouched_latin1_file_is_never_rewritten_and_an_edit_asks_first(tmp_path):
    path = tmp_path / "plan.toml"
    path.write_bytes(LATIN1)
    before = state(path)
    opened = store.open_text(path)
    assert store.save_text(opened.text, path, base=opened) is opened
    assert state(path) == before
    edited = opened.text + "# fixed\n"
    with pytest.raises(BadBytesError) as info:
        store.save_text(edited, path, base=opened)
    err = info.value
    assert (err.line, err.column) == (6, 22) and len(err.bad) == 2
    assert str(err) == (
        f"{path}:6:22: 2 bytes of this file are not UTF-8 and would be saved as U+FFFD "
        "(line 6, column 22: 0xe9; line 6, column 24: 0xe9)"
    )
    assert state(path) == before
    store.save_text(edited, path, base=opened, replace_bad_bytes=True)
    assert path.read_bytes() == edited.encode("utf-8")
    assert b"\xe9" not in path.read_bytes() and "\ufffd".encode() in path.read_bytes()


def test_a_bad_byte_run_is_one_entry_and_a_bom_is_read_past():
    decoded = store.decode_lossy(b"\xef\xbb\xbfa = 1\nb = '\xff\xfe\xc3' # x\n\x80")
    assert decoded.bom
    assert [(b.line, b.column, b.shown()) for b in decoded.bad] == [
        (2, 6, "0xff 0xfe 0xc3"),
        (3, 1, "0x80"),
    ]
    assert decoded.text == "a = 1\nb = '\ufffd\ufffd\ufffd' # x\n\ufffd"
    assert store.decode_lossy("é = 'ü'\n".encode()).text == "é = 'ü'\n"


def _put_back(decoded: store.Decoded) -> bytes:
    """The bytes a Decoded came from, rebuilt from its text and its located bad bytes."""
    lines = decoded.text.split("\n")
    out = []
    by_line: dict[int, list[store.BadBytes]] = {}
    for bad in decoded.bad:
        by_line.setdefault(bad.line, []).append(bad)
    for n, line in enumerate(lines, start=1):
        chunk = b""
        pos = 0
        for bad in by_line.get(n, []):
            start = bad.column - 1
            assert line[start : start + len(bad.data)] == "\ufffd" * len(bad.data)
            chunk += line[pos:start].encode("utf-8") + bad.data
            pos = start + len(bad.data)
        out.append(chunk + line[pos:].encode("utf-8"))
    return (b"\xef\xbb\xbf" if decoded.bom else b"") + b"\n".join(out)


BYTES = st.one_of(
    st.binary(max_size=300),
    st.lists(
        st.sampled_from(
            [b"\n", b"a", b" = ", b'"', b"\xe9", b"\xc3\xa9", b"\xff", b"\xe2\x82", b"[x"]
        )
    ).map(b"".join),
    st.text(max_size=100).map(lambda s: s.encode("utf-8")),
)


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=BYTES)
def test_opening_and_saving_any_bytes_untouched_never_changes_the_file(tmp_path, data):
    path = tmp_path / "plan.toml"
    path.write_bytes(data)
    before = state(path)
    opened = store.open_text(path)
    assert state(path) == before  # opening writes nothing
    assert store.save_text(opened.text, path, base=opened) is opened
    assert state(path) == before  # nor does saving what was opened
    decoded = store.decode_lossy(data)
    assert _put_back(decoded) == data  # every bad byte is where it says, as it is
    assert decoded.lossless == (not opened.bad)
    try:
        text = store.decode(data)
    except PlanError as err:
        assert (err.line, err.column) == (decoded.bad[0].line, decoded.bad[0].column)
    else:
        assert decoded.lossless and text == decoded.text


def test_a_device_or_a_pipe_is_written_to_never_replaced(tmp_path):
    """`releve schema -o /dev/null` run as root used to rename a regular file over
    /dev/null (every later `> /dev/null` then filled a file). A target that is not a
    regular file is written in place; a folder is refused."""
    import os
    import stat

    from releve.planner.store.atomic import write_atomic

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    fd = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # a reader is there before the write
    try:
        write_atomic(fifo, b"hello")
        got = os.read(fd, 100)
    finally:
        os.close(fd)
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)  # still a pipe, not a file
    assert got == b"hello"
    write_atomic(os.devnull, b"x" * 100)
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)
    import pytest

    with pytest.raises(IsADirectoryError):
        write_atomic(tmp_path, b"x")
