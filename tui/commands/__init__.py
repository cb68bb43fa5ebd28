"""Subcommands of `releve`, one module each: add_arguments(parser) and run(args) -> exit code."""
