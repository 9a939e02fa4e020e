// Write rows of `memberships`: (Person)-[:MEMBER_OF {start_on, end_on}]->(Organization), one
// relationship per key (person, organisation, start date), keyed by fact_key.
// Every row carries key, hash and prov (see regions.cypher). Dates arrive as ISO strings.
// Parameters: rows (list of maps: person_id, org_id, start_on, end_on, key, hash, owner, prov)
UNWIND $rows AS row
MATCH (p:Person {person_id: row.person_id})
MATCH (o:Organization {org_id: row.org_id})
MERGE (p)-[m:MEMBER_OF {fact_key: row.key}]->(o)
SET m += row.prov,
    m.fact_hash = row.hash,
    m.person_id = row.person_id,
    m.org_id = row.org_id,
    m.start_on = date(row.start_on),
    m.end_on = date(row.end_on)
