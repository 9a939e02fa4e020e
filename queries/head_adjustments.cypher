// Adjustments of the heads (党政正职: party_secretary, government_head) of poverty-listed
// counties and townships: posts ended by `adjustment` on or before the date, at or after
// `since`. compliant when the post ended at least 6 months after the unit's exited_on, or
// carries an approval_ref (审批程序); otherwise a violation (不脱贫不调整、不摘帽不调离).
// The unit is the post's region, else the region of the post's organisation.
//
// Kind: worklist
// Parameters:
//   as_of: date = today
//   since: date = 2016-01-01
// Columns: person_id, name, post, unit_id, unit_name, unit_level, start_on, end_on,
//   unit_exited_on, approval_ref, six_months_after_exit (bool), status, region_id (= unit_id)
MATCH (post:Post)
WHERE post.post IN ['party_secretary', 'government_head']
  AND post.end_reason = 'adjustment'
  AND post.end_on <= $as_of AND post.end_on >= $since
MATCH (p:Person)-[:HOLDS]->(post)
OPTIONAL MATCH (post)-[:IN_REGION]->(r1:Region)
OPTIONAL MATCH (post)-[:AT_ORG]->(:Organization)-[:LOCATED_IN]->(r2:Region)
WITH p, post, coalesce(r1, r2) AS unit
WHERE unit.level IN ['county', 'township'] AND unit.poverty_listed
  AND ($scope IS NULL OR EXISTS { (unit)-[:PART_OF*0..]->(:Region {region_id: $scope}) })
WITH p, post, unit,
     unit.exited_on IS NOT NULL AND post.end_on >= unit.exited_on + duration({months: 6}) AS after_exit
RETURN p.person_id AS person_id,
       p.name AS name,
       post.post AS post,
       unit.region_id AS unit_id,
       unit.name AS unit_name,
       unit.level AS unit_level,
       post.start_on AS start_on,
       post.end_on AS end_on,
       unit.exited_on AS unit_exited_on,
       post.approval_ref AS approval_ref,
       after_exit AS six_months_after_exit,
       CASE WHEN after_exit OR post.approval_ref IS NOT NULL THEN 'compliant' ELSE 'violation' END AS status,
       unit.region_id AS region_id
ORDER BY end_on, person_id
