// Write rows of `team_members`: (Person)-[:SERVES_ON {role, start_on, end_on}]->(WorkTeam), one
// relationship per key (person, team, role, start date), keyed by fact_key.
// Every row carries key, hash and prov (see regions.cypher). Dates arrive as ISO strings.
// Parameters: rows (list of maps: person_id, team_id, role, start_on, end_on, key, hash, owner,
//   prov)
UNWIND $rows AS row
MATCH (p:Person {person_id: row.person_id})
MATCH (t:WorkTeam {team_id: row.team_id})
MERGE (p)-[s:SERVES_ON {fact_key: row.key}]->(t)
SET s += row.prov,
    s.fact_hash = row.hash,
    s.person_id = row.person_id,
    s.team_id = row.team_id,
    s.role = row.role,
    s.start_on = date(row.start_on),
    s.end_on = date(row.end_on)
