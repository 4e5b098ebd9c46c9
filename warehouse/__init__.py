"""DuckDB warehouse: migrations, the partition loader and the analysts' views."""
