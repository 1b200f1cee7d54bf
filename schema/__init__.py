"""The schema migrations (NNNN_name.sql), installed as the package microcare_tui.schema.

pyproject.toml maps this folder into the package so the SQL ships in a wheel and is read
with importlib.resources (store/migrate.py); this file makes it a regular package, which an
editable install needs to find it. Only the numbered .sql files are migrations.
"""
