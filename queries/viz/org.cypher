// An organisation tree as of a date: the organisation and its descendants (SUBORDINATE_TO*)
// that exist on the date (founded_on empty or <= as_of, dissolved_on empty or later), each
// reached only through organisations that exist on the date. Each organisation carries `members`:
// its memberships current on the date (start_on <= as_of, end_on empty or later).
// With a scope (a region id), no row unless the organisation lies under it (LOCATED_IN its
// region, or AT_SITE a site LOCATED_IN it, PART_OF*), and only descendants reached through
// organisations lying under it are shown.
//
// Parameters:
//   id: string             (org_id of the root organisation)
//   as_of: date = today
//   scope: string = null   (a region id, or null for no restriction)
// Columns: nodes (list of maps: key, kind, props, members), edges (list of maps: from, to, kind,
//   props); no row when the organisation does not exist or lies outside the scope
MATCH (root:Organization {org_id: $id})
WHERE $scope IS NULL
   OR EXISTS {
     (root)-[:LOCATED_IN|AT_SITE]->()-[:LOCATED_IN|PART_OF*0..]->(:Region {region_id: $scope}) }
WITH root, COLLECT {
  MATCH path = (o:Organization)-[:SUBORDINATE_TO*1..]->(root)
  WHERE all(n IN nodes(path)[..-1] WHERE
              (n.founded_on IS NULL OR n.founded_on <= $as_of)
              AND (n.dissolved_on IS NULL OR n.dissolved_on > $as_of)
              AND ($scope IS NULL OR EXISTS {
                (n)-[:LOCATED_IN|AT_SITE]->()-[:LOCATED_IN|PART_OF*0..]->
                  (:Region {region_id: $scope}) }))
  RETURN {o: o, parent: endNode(relationships(path)[0]), members: COUNT {
    MATCH (:Person)-[m:MEMBER_OF]->(o)
    WHERE m.start_on <= $as_of AND (m.end_on IS NULL OR m.end_on > $as_of) }}
} AS descendants
WITH root, descendants, COUNT {
  MATCH (:Person)-[m:MEMBER_OF]->(root)
  WHERE m.start_on <= $as_of AND (m.end_on IS NULL OR m.end_on > $as_of)
} AS root_load
RETURN
  [{key: 'o:' + root.org_id, kind: 'organization', props: properties(root), members: root_load}]
  + [x IN descendants | {key: 'o:' + x.o.org_id, kind: 'organization', props: properties(x.o),
                         members: x.members}]
    AS nodes,
  [x IN descendants | {from: 'o:' + x.o.org_id, to: 'o:' + x.parent.org_id,
                       kind: 'SUBORDINATE_TO', props: {}}]
    AS edges
