"""Thin Dagster assets, one module per stage: read the lake, call newskit, write, attach metadata."""
