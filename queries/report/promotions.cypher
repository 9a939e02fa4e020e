// Report: cadres promoted (posts ended by `promotion`): from poverty-listed counties since
// `since` (the post's region is, or lies in, a poverty-listed county), of them from township
// heads (party_secretary/government_head of a township) and from work-team members (a
// team_members row started before the promotion); and all promotions since `recent`.
//
// Parameters:
//   as_of: date = today
//   since: date = 2016-01-01
//   recent: date = 2019-01-01
// Columns: from_poor_counties, from_township_heads, from_team_members, since_recent
CALL () {
  MATCH (post:Post)
  WHERE post.end_reason = 'promotion' AND post.end_on >= $since AND post.end_on <= $as_of
  MATCH (post)-[:IN_REGION]->(r:Region)-[:PART_OF*0..3]->(county:Region)
  WHERE county.level = 'county' AND county.poverty_listed
  MATCH (p:Person)-[:HOLDS]->(post)
  WITH p, post, r
  RETURN count(DISTINCT p) AS from_poor_counties,
         count(DISTINCT CASE WHEN post.post IN ['party_secretary', 'government_head']
                              AND r.level = 'township' THEN p END) AS from_township_heads,
         count(DISTINCT CASE WHEN EXISTS {
                               MATCH (p)-[s:SERVES_ON]->(:WorkTeam) WHERE s.start_on < post.end_on
                             } THEN p END) AS from_team_members
}
CALL () {
  MATCH (post:Post)
  WHERE post.end_reason = 'promotion' AND post.end_on >= $recent AND post.end_on <= $as_of
  MATCH (p:Person)-[:HOLDS]->(post)
  RETURN count(DISTINCT p) AS since_recent
}
RETURN from_poor_counties, from_township_heads, from_team_members, since_recent
