"""Stage logic of the news warehouse: plain, typed functions with no Dagster in them."""

RULES_VERSION = "2"
