// Load rows of `work_teams`: one WorkTeam per row, STATIONED_IN its village.
// Dates arrive as ISO strings (cheaper to send than temporal values) and become DATE here.
// Parameters: rows (list of maps: team_id, name, village_id, dispatched_by, start_on, end_on)
UNWIND $rows AS row
MERGE (t:WorkTeam {team_id: row.team_id})
SET t.name = row.name,
    t.dispatched_by = row.dispatched_by,
    t.start_on = date(row.start_on),
    t.end_on = date(row.end_on),
    t.village_id = row.village_id
WITH t, row
CALL (t, row) {
  OPTIONAL MATCH (t)-[old:STATIONED_IN]->(v0:Region)
  WHERE v0.region_id <> row.village_id
  DELETE old
}
MATCH (v:Region {region_id: row.village_id})
MERGE (t)-[:STATIONED_IN]->(v)
