"""The Textual user interface: screens, widgets, the command palette. No SQL here."""
