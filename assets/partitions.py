from datetime import date

import dagster as dg

daily_partitions = dg.DailyPartitionsDefinition(start_date="2015-01-01", timezone="UTC")


def partition_day(context: dg.AssetExecutionContext) -> date:
    return date.fromisoformat(context.partition_key)
