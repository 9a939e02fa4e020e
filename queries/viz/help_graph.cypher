// The help network as of a date, for the explorer's analytics (viz/analytics.py): the current
// pairings (helper → household: HELPS with start_on <= as_of and end_on empty or later), the
// current memberships (MEMBER_OF, same reading) of persons who help someone on the date, and
// the organisation tree (SUBORDINATE_TO) among organisations existing on the date (founded_on
// empty or <= as_of, dissolved_on empty or later).
// With a scope (a region id), only households lying under it (LOCATED_IN, PART_OF*) and
// organisations lying under it (LOCATED_IN their region or AT_SITE a site located under it).
//
// Parameters:
//   as_of: date
//   scope: string = null   (a region id, or null for no restriction)
//   names: bool            (households named by their head; false for the centrality, which
//                           names only helpers and organisations: the heads cost half the query)
// Columns: kind (HELPS, MEMBER_OF or SUBORDINATE_TO), source, source_name, target,
//   target_name (sources and targets as keys p:person_id, h:household_id, o:org_id; the name
//   of a household is that of its head, relation head)
CALL () {
  MATCH (p:Person)-[r:HELPS]->(h:Household)
  WHERE r.start_on <= $as_of AND (r.end_on IS NULL OR r.end_on > $as_of)
    AND ($scope IS NULL OR EXISTS {
      (h)-[:LOCATED_IN]->(:Region)-[:PART_OF*0..]->(:Region {region_id: $scope}) })
  RETURN 'HELPS' AS kind, 'p:' + p.person_id AS source, p.name AS source_name,
         'h:' + h.household_id AS target,
         CASE WHEN $names
           THEN [(hm:Person)-[:IN_HOUSEHOLD]->(h) WHERE hm.relation = 'head' | hm.name][0]
         END AS target_name
  UNION ALL
  MATCH (p:Person)-[m:MEMBER_OF]->(o:Organization)
  WHERE m.start_on <= $as_of AND (m.end_on IS NULL OR m.end_on > $as_of)
    AND EXISTS {
      MATCH (p)-[r:HELPS]->()
      WHERE r.start_on <= $as_of AND (r.end_on IS NULL OR r.end_on > $as_of) }
    AND ($scope IS NULL OR EXISTS {
      (o)-[:LOCATED_IN|AT_SITE]->()-[:LOCATED_IN|PART_OF*0..]->(:Region {region_id: $scope}) })
  RETURN 'MEMBER_OF' AS kind, 'p:' + p.person_id AS source, p.name AS source_name,
         'o:' + o.org_id AS target, o.name AS target_name
  UNION ALL
  MATCH (o:Organization)-[:SUBORDINATE_TO]->(q:Organization)
  WHERE all(x IN [o, q] WHERE (x.founded_on IS NULL OR x.founded_on <= $as_of)
                          AND (x.dissolved_on IS NULL OR x.dissolved_on > $as_of))
    AND ($scope IS NULL OR all(x IN [o, q] WHERE EXISTS {
      (x)-[:LOCATED_IN|AT_SITE]->()-[:LOCATED_IN|PART_OF*0..]->(:Region {region_id: $scope}) }))
  RETURN 'SUBORDINATE_TO' AS kind, 'o:' + o.org_id AS source, o.name AS source_name,
         'o:' + q.org_id AS target, q.name AS target_name
}
RETURN kind, source, source_name, target, target_name
