// Load rows of `memberships`: (Person)-[:MEMBER_OF {start_on, end_on}]->(Organization),
// one relationship per person, organisation and start date.
// Dates arrive as ISO strings (cheaper to send than temporal values) and become DATE here.
// Parameters: rows (list of maps: person_id, org_id, start_on, end_on)
UNWIND $rows AS row
MATCH (p:Person {person_id: row.person_id})
MATCH (o:Organization {org_id: row.org_id})
MERGE (p)-[m:MEMBER_OF {start_on: date(row.start_on)}]->(o)
SET m.end_on = date(row.end_on)
