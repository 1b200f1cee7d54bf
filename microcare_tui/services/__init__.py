"""Use-cases shared by the UI and the CLI, in the domain's words."""
