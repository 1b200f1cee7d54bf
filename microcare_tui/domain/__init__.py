"""Pure domain: models, enumerations, rules and parsing. Knows nothing of SQLite or Textual."""
