"""The only place with SQL: connections, migrations, repositories and search."""
