"""releve user interface: the command, the Textual app and every rendering."""

__version__ = "0.1.0"
