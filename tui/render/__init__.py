"""Headless renderings of check and schedule results: text, JSON, SARIF, JUnit, Markdown, CSV, ICS."""
