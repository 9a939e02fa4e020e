// Write rows of `work_teams`: one WorkTeam per row, STATIONED_IN its village.
// Every row carries key, hash, owner and prov (see regions.cypher). Dates arrive as ISO strings.
// Parameters: rows (list of maps: team_id, name, village_id, dispatched_by, start_on, end_on,
//   key, hash, owner, prov)
UNWIND $rows AS row
MERGE (t:WorkTeam {team_id: row.team_id})
SET t += row.prov,
    t.fact_hash = row.hash,
    t.name = row.name,
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
MERGE (t)-[l:STATIONED_IN]->(v)
SET l += row.prov, l.owner = row.owner
