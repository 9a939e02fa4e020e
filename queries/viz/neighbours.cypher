// The neighbourhood of nodes of a network as of a date (the explorer's "expand", and the
// network of an entity that no view starts from: an enterprise, a work team): for each key
// (p:person_id, h:household_id, o:org_id, s:site_id, e:entity_id, r:region_id, t:team_id), the
// node and the entities joined to it by one relationship current on the date (a dated
// relationship when start_on <= as_of and end_on is empty or later; organisations dissolved by
// the date are left out), at most `limit` per node, by relationship type and id.
// With a scope (a region id), a node outside it yields nothing, and neighbours outside it are
// left out; what lies in a region is as in queries/card.cypher.
//
// Parameters:
//   keys: list of strings   (node keys as above)
//   as_of: date
//   limit: int              (neighbours per node)
//   scope: string = null    (a region id, or null for no restriction)
// Columns: nodes (list of maps: key, kind, props, head: a household head's name), edges (list
//   of maps: from, to, kind, props);
//   one row per key found in the scope
UNWIND $keys AS key
WITH DISTINCT key, left(key, 2) AS prefix, substring(key, 2) AS id
CALL (prefix, id) {
  MATCH (n:Person {person_id: id}) WHERE prefix = 'p:' RETURN n
  UNION MATCH (n:Household {household_id: id}) WHERE prefix = 'h:' RETURN n
  UNION MATCH (n:Organization {org_id: id}) WHERE prefix = 'o:' RETURN n
  UNION MATCH (n:RelocationSite {site_id: id}) WHERE prefix = 's:' RETURN n
  UNION MATCH (n:Enterprise {entity_id: id}) WHERE prefix = 'e:' RETURN n
  UNION MATCH (n:Region {region_id: id}) WHERE prefix = 'r:' RETURN n
  UNION MATCH (n:WorkTeam {team_id: id}) WHERE prefix = 't:' RETURN n
}
WITH key, n
WHERE $scope IS NULL
   OR EXISTS {
     (n)-[:IN_HOUSEHOLD|MEMBER_OF|HELPS|SERVES_ON|HOLDS|AT_SITE*0..1]->()
        -[:LOCATED_IN|STATIONED_IN|IN_REGION*0..1]->(:Region)
        -[:PART_OF*0..]->(:Region {region_id: $scope})
   }
CALL (n) {
  MATCH (n)-[r]-(m)
  WHERE m:Person|Household|Organization|RelocationSite|Enterprise|Region|WorkTeam
    AND (r.start_on IS NULL OR r.start_on <= $as_of)
    AND (r.end_on IS NULL OR r.end_on > $as_of)
    AND NOT (m:Organization AND m.dissolved_on IS NOT NULL AND m.dissolved_on <= $as_of)
    AND ($scope IS NULL OR EXISTS {
      (m)-[:IN_HOUSEHOLD|MEMBER_OF|HELPS|SERVES_ON|HOLDS|AT_SITE*0..1]->()
         -[:LOCATED_IN|STATIONED_IN|IN_REGION*0..1]->(:Region)
         -[:PART_OF*0..]->(:Region {region_id: $scope})
    })
  WITH r, m, coalesce(m.person_id, m.household_id, m.org_id, m.site_id, m.entity_id,
                      m.team_id, m.region_id) AS mid
  ORDER BY type(r), mid
  LIMIT $limit
  WITH r, m, CASE WHEN m:Household THEN [(hm:Person)-[:IN_HOUSEHOLD]->(m)
                                         WHERE hm.relation = 'head' | hm.name][0] END AS head
  RETURN collect({r: r, m: m, head: head}) AS found
}
WITH key, n, [x IN found | {
  r: x.r, m: x.m, head: x.head,
  mkey: CASE
    WHEN x.m:Person THEN 'p:' + x.m.person_id
    WHEN x.m:Household THEN 'h:' + x.m.household_id
    WHEN x.m:Organization THEN 'o:' + x.m.org_id
    WHEN x.m:RelocationSite THEN 's:' + x.m.site_id
    WHEN x.m:Enterprise THEN 'e:' + x.m.entity_id
    WHEN x.m:WorkTeam THEN 't:' + x.m.team_id
    ELSE 'r:' + x.m.region_id END
}] AS found
RETURN
  [{key: key, kind: CASE
      WHEN n:Person THEN 'person' WHEN n:Household THEN 'household'
      WHEN n:Organization THEN 'organization' WHEN n:RelocationSite THEN 'site'
      WHEN n:Enterprise THEN 'enterprise' WHEN n:WorkTeam THEN 'work_team'
      ELSE 'region' END, props: properties(n),
    head: CASE WHEN n:Household THEN [(hm:Person)-[:IN_HOUSEHOLD]->(n)
                                      WHERE hm.relation = 'head' | hm.name][0] END}]
  + [x IN found | {key: x.mkey, kind: CASE
      WHEN x.m:Person AND type(x.r) = 'HELPS' THEN 'helper'
      WHEN x.m:Person AND type(x.r) = 'IN_HOUSEHOLD' THEN 'member'
      WHEN x.m:Person THEN 'person' WHEN x.m:Household THEN 'household'
      WHEN x.m:Organization THEN 'organization' WHEN x.m:RelocationSite THEN 'site'
      WHEN x.m:Enterprise THEN 'enterprise' WHEN x.m:WorkTeam THEN 'work_team'
      ELSE 'region' END, props: properties(x.m), head: x.head}] AS nodes,
  [x IN found | {from: CASE WHEN startNode(x.r) = n THEN key ELSE x.mkey END,
                 to: CASE WHEN startNode(x.r) = n THEN x.mkey ELSE key END,
                 kind: type(x.r), props: properties(x.r)}] AS edges
