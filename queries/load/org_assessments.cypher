// Load rows of `org_assessments`: (Organization)-[:ASSESSED]->(Assessment {year, weak, ...}),
// one per organisation and year (assessment_key = org_id|year).
// Dates arrive as ISO strings (cheaper to send than temporal values) and become DATE here.
// Parameters: rows (list of maps: row_key, org_id, year, weak, weak_category, rectified_on,
//   standardized, honor)
UNWIND $rows AS row
MATCH (o:Organization {org_id: row.org_id})
MERGE (a:Assessment {assessment_key: row.row_key})
SET a.year = row.year,
    a.weak = row.weak,
    a.weak_category = row.weak_category,
    a.rectified_on = date(row.rectified_on),
    a.standardized = row.standardized,
    a.honor = row.honor,
    a.org_id = row.org_id
MERGE (o)-[:ASSESSED]->(a)
