"""releve: the mission itself — model, file, calendar, schedule (imports nothing of ours)."""
