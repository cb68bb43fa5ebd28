"""releve rules: facts, rule packs, the engine and scores (imports planner)."""
