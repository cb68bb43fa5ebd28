"""The Textual app: screens, widgets, forms and the keymap (Textual only; never imports cli)."""
