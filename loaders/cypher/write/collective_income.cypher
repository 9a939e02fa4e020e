// Write rows of `collective_income`: (Region)-[:HAS_INCOME]->(CollectiveIncome {year,
// income_yuan}), one per village and year (income_key = region_id|year).
// Every row carries key, hash, owner and prov (see regions.cypher).
// Parameters: rows (list of maps: region_id, year, income_yuan, key, hash, owner, prov)
UNWIND $rows AS row
MATCH (r:Region {region_id: row.region_id})
MERGE (i:CollectiveIncome {income_key: row.key})
SET i += row.prov,
    i.fact_hash = row.hash,
    i.year = row.year,
    i.income_yuan = row.income_yuan,
    i.region_id = row.region_id
MERGE (r)-[l:HAS_INCOME]->(i)
SET l += row.prov, l.owner = row.owner
