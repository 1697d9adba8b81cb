"""VocDash ETL: curated CSVs ► decode ► validate ► load (atomically) ► DuckDB warehouse."""
