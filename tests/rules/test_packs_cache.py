"""The on-disk cache of compiled packs is really read back (issue 14, part 1): a warm load
parses no TOML and gives the same pack set, graded rules and [score] settings included."""

from __future__ import annotations

from releve.rules import packs
from releve.rules.packs import load_pack_set


def _no_toml(*_args, **_kwargs):
    raise AssertionError("a warm load parsed a pack's TOML: the disk cache was missed")


def test_a_warm_load_reads_the_disk_cache_and_parses_no_toml(pack_cache, write, monkeypatch):
    firm = write(
        "firm.toml",
        '[pack]\nid = "firm"\n[rules.GOV005]\nseverity = "error"\n[score]\nready = 85\n',
    )
    cold = load_pack_set(extra=(firm,))
    assert any(r.grade != packs.model.DEFAULT_GRADE for r in cold.rules), "no graded rule"
    packs._CACHE.clear()
    monkeypatch.setattr(packs.files.tomllib, "loads", _no_toml)
    warm = load_pack_set(extra=(firm,))
    assert warm == cold
    assert [r.grade for r in warm.rules] == [r.grade for r in cold.rules]
    assert warm.score == cold.score and warm.score.ready == 85
    assert warm.changes == cold.changes and warm.digest == cold.digest
