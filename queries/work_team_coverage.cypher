// Poverty-listed villages and communities with no village work team (驻村工作队) current on
// the date.
//
// Kind: worklist
// Parameters:
//   as_of: date = today
// Columns: region_id, name, level, township_id, township, exited_on, last_team_end
MATCH (v:Region)
WHERE v.level IN ['village', 'community'] AND v.poverty_listed
  AND ($scope IS NULL OR EXISTS { (v)-[:PART_OF*0..]->(:Region {region_id: $scope}) })
  AND NOT EXISTS {
    MATCH (t:WorkTeam)-[:STATIONED_IN]->(v)
    WHERE t.start_on <= $as_of AND (t.end_on IS NULL OR t.end_on > $as_of)
  }
OPTIONAL MATCH (v)-[:PART_OF]->(town:Region)
OPTIONAL MATCH (old:WorkTeam)-[:STATIONED_IN]->(v)
WHERE old.end_on <= $as_of
WITH v, town, max(old.end_on) AS last_team_end
RETURN v.region_id AS region_id,
       v.name AS name,
       v.level AS level,
       town.region_id AS township_id,
       town.name AS township,
       v.exited_on AS exited_on,
       last_team_end
ORDER BY region_id
