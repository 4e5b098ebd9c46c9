"""The Dagster code location of the news warehouse (Definitions in pipelines.definitions)."""
