// Report: village work teams (驻村工作队) current on the date and their distinct members.
//
// Parameters:
//   as_of: date = today
// Columns: teams, members
CALL () {
  MATCH (t:WorkTeam)
  WHERE t.start_on <= $as_of AND (t.end_on IS NULL OR t.end_on > $as_of)
  RETURN count(t) AS teams
}
CALL () {
  MATCH (p:Person)-[s:SERVES_ON]->(:WorkTeam)
  WHERE s.start_on <= $as_of AND (s.end_on IS NULL OR s.end_on > $as_of)
  RETURN count(DISTINCT p) AS members
}
RETURN teams, members
