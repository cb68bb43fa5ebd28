"""Plans over time and across missions, without Textual: git history, diff, portfolio.

The headless layer behind `releve history`, `releve diff`, `releve portfolio`, the
report's trend and the app's score history (docs/internals.md lists the API):

- :mod:`.git` — reading a repository with the `git` command (`Repo`, `Commit`, `HistoryError`).
- :mod:`.versions` — `plan_history(path, today=…)` → `History` (versions, moves);
  `load_version(path, rev, as_of=…)` for one revision, `load_versions` for several.
- :mod:`.moves` — `Version`, `Cause`, `Move`, `History`: the versions and what moved.
- :mod:`.checker` — `Checker`: one version checked with its commit's packs, cached.
- :mod:`.packfiles` — a version's pack files as of its commit, and their digest.
- :mod:`.packsets` — pack sets loaded once for the plans of one run that share them.
- :mod:`.figures` — `Figures`, what one check scored, JSON-able (the cache stores it).
- :mod:`.compare` — `compare(old, new)` → `Comparison` of two check results.
- :mod:`.portfolio` — `portfolio(paths, as_of=…)` → rows and cross-mission findings;
  :mod:`.rows` makes one row (checked, or read back from the cache by content),
  :mod:`.parallel` the rows of many plans (in worker processes when many need a check).
- :mod:`.cache` — the content-addressed cache in the user's cache folder.
"""
