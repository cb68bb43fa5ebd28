"""Plans over time and across missions, without Textual: git history, diff, portfolio.

The headless layer behind `releve history`, `releve diff`, `releve portfolio`, the
report's trend and the app's score history (docs/internals.md lists the API):

- :mod:`.git` — reading a repository with the `git` command (`Repo`, `Commit`, `HistoryError`).
- :mod:`.versions` — `plan_history(path, today=…)` → `History` (versions, moves);
  `load_version(path, rev, as_of=…)` for one revision.
- :mod:`.figures` — `Figures`, what one check scored, JSON-able (the cache stores it).
- :mod:`.compare` — `compare(old, new)` → `Comparison` of two check results.
- :mod:`.portfolio` — `portfolio(paths, as_of=…)` → rows and cross-mission findings.
- :mod:`.cache` — the content-addressed cache in the user's cache folder.
"""
