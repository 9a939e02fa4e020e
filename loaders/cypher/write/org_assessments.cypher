// Write rows of `org_assessments`: (Organization)-[:ASSESSED]->(Assessment {year, weak, ...}),
// one per organisation and year (assessment_key = org_id|year).
// Every row carries key, hash, owner and prov (see regions.cypher). Dates arrive as ISO strings.
// Parameters: rows (list of maps: org_id, year, weak, weak_category, rectified_on, standardized,
//   honor, key, hash, owner, prov)
UNWIND $rows AS row
MATCH (o:Organization {org_id: row.org_id})
MERGE (a:Assessment {assessment_key: row.key})
SET a += row.prov,
    a.fact_hash = row.hash,
    a.year = row.year,
    a.weak = row.weak,
    a.weak_category = row.weak_category,
    a.rectified_on = date(row.rectified_on),
    a.standardized = row.standardized,
    a.honor = row.honor,
    a.org_id = row.org_id
MERGE (o)-[l:ASSESSED]->(a)
SET l += row.prov, l.owner = row.owner
