// Load rows of `team_members`: (Person)-[:SERVES_ON {role, start_on, end_on}]->(WorkTeam),
// one relationship per person, team and start date.
// Dates arrive as ISO strings (cheaper to send than temporal values) and become DATE here.
// Parameters: rows (list of maps: person_id, team_id, role, start_on, end_on)
UNWIND $rows AS row
MATCH (p:Person {person_id: row.person_id})
MATCH (t:WorkTeam {team_id: row.team_id})
MERGE (p)-[s:SERVES_ON {start_on: date(row.start_on)}]->(t)
SET s.role = row.role,
    s.end_on = date(row.end_on)
