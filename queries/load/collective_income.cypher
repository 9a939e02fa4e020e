// Load rows of `collective_income`: (Region)-[:HAS_INCOME]->(CollectiveIncome {year,
// income_yuan}), one per village and year (income_key = region_id|year).
// Parameters: rows (list of maps: row_key, region_id, year, income_yuan)
UNWIND $rows AS row
MATCH (r:Region {region_id: row.region_id})
MERGE (i:CollectiveIncome {income_key: row.row_key})
SET i.year = row.year,
    i.income_yuan = row.income_yuan,
    i.region_id = row.region_id
MERGE (r)-[:HAS_INCOME]->(i)
