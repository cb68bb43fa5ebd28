"""Standalone Textual widgets of the releve app (timeline, readiness, …)."""
