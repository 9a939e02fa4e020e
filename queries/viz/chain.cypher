// An industry chain as of a date: the organisation and those of its descendants
// (SUBORDINATE_TO*, existing on the date: founded_on empty or <= as_of, dissolved_on empty or
// later) that lead (LEADS) a business entity, with the organisations in between; the
// entities they lead (cooperatives, ...); the benefit links (LINKS) of those entities current on
// the date (start_on empty or <= as_of, end_on empty or later) to companies and other entities,
// households and persons; and the current links of the partner entities reached that way (one
// more step: company -> households).
// With a scope (a region id), no row unless the organisation lies under it (LOCATED_IN its
// region, or AT_SITE a site LOCATED_IN it, PART_OF*); only organisations, entities and
// households lying under it are shown, and persons whose household or current membership does.
//
// Parameters:
//   id: string             (org_id of the organisation)
//   as_of: date = today
//   scope: string = null   (a region id, or null for no restriction)
// Columns: nodes (list of maps: key, kind, props, head: a household head's name), edges (list
//   of maps: from, to, kind, props);
//   no row when the organisation does not exist or lies outside the scope
MATCH (root:Organization {org_id: $id})
WHERE $scope IS NULL
   OR EXISTS {
     (root)-[:LOCATED_IN|AT_SITE]->()-[:LOCATED_IN|PART_OF*0..]->(:Region {region_id: $scope}) }
CALL (root) {
  MATCH path = (o:Organization)-[:SUBORDINATE_TO*0..]->(root)
  WHERE EXISTS { (o)-[:LEADS]->(:Enterprise) }
    AND all(n IN nodes(path)[..-1] WHERE
              (n.founded_on IS NULL OR n.founded_on <= $as_of)
              AND (n.dissolved_on IS NULL OR n.dissolved_on > $as_of)
              AND ($scope IS NULL OR EXISTS {
                (n)-[:LOCATED_IN|AT_SITE]->()-[:LOCATED_IN|PART_OF*0..]->
                  (:Region {region_id: $scope}) }))
  UNWIND relationships(path) AS rel
  WITH DISTINCT rel
  RETURN collect(rel) AS subordinate
}
WITH root, subordinate,
  [root] + [rel IN subordinate | startNode(rel)] AS orgs
CALL (orgs) {
  UNWIND orgs AS o
  WITH DISTINCT o
  MATCH (o)-[:LEADS]->(e:Enterprise)
  WHERE $scope IS NULL
     OR EXISTS { (e)-[:LOCATED_IN]->(:Region)-[:PART_OF*0..]->(:Region {region_id: $scope}) }
  RETURN collect({o: o, e: e}) AS led
}
// Current links, two steps: from the led entities, and from the entities they reach (only
// entities have LINKS going out).
CALL (led) {
  UNWIND led AS x
  WITH DISTINCT x.e AS e0
  MATCH path = (e0)-[:LINKS*1..2]->(:Enterprise|Household|Person)
  WHERE all(l IN relationships(path) WHERE (l.start_on IS NULL OR l.start_on <= $as_of)
                                       AND (l.end_on IS NULL OR l.end_on > $as_of))
    AND all(n IN nodes(path)[1..] WHERE $scope IS NULL
      OR EXISTS { (n)-[:LOCATED_IN]->(:Region)-[:PART_OF*0..]->(:Region {region_id: $scope}) }
      OR EXISTS { (n)-[:IN_HOUSEHOLD]->(:Household)-[:LOCATED_IN]->(:Region)
                    -[:PART_OF*0..]->(:Region {region_id: $scope}) }
      OR EXISTS {
        MATCH (n)-[m:MEMBER_OF]->(:Organization)-[:LOCATED_IN|AT_SITE]->()
          -[:LOCATED_IN|PART_OF*0..]->(:Region {region_id: $scope})
        WHERE m.start_on <= $as_of AND (m.end_on IS NULL OR m.end_on > $as_of) })
  UNWIND relationships(path) AS l
  WITH DISTINCT l
  WITH l, endNode(l) AS t
  RETURN collect({e: startNode(l), l: l, t: t,
                  head: CASE WHEN t:Household THEN [(hm:Person)-[:IN_HOUSEHOLD]->(t)
                                                    WHERE hm.relation = 'head' | hm.name][0]
                        END}) AS links
}
RETURN
  [o IN orgs | {key: 'o:' + o.org_id, kind: 'organization', props: properties(o)}]
  + [x IN led | {key: 'e:' + x.e.entity_id, kind: 'enterprise', props: properties(x.e)}]
  + [x IN links | {
       key: CASE WHEN x.t:Household THEN 'h:' + x.t.household_id
                 WHEN x.t:Person THEN 'p:' + x.t.person_id
                 ELSE 'e:' + x.t.entity_id END,
       kind: CASE WHEN x.t:Household THEN 'household'
                  WHEN x.t:Person THEN 'person'
                  ELSE 'enterprise' END,
       props: properties(x.t), head: x.head}]
    AS nodes,
  [rel IN subordinate | {from: 'o:' + startNode(rel).org_id, to: 'o:' + endNode(rel).org_id,
                         kind: 'SUBORDINATE_TO', props: {}}]
  + [x IN led | {from: 'o:' + x.o.org_id, to: 'e:' + x.e.entity_id, kind: 'LEADS', props: {}}]
  + [x IN links | {
       from: 'e:' + x.e.entity_id,
       to: CASE WHEN x.t:Household THEN 'h:' + x.t.household_id
                WHEN x.t:Person THEN 'p:' + x.t.person_id
                ELSE 'e:' + x.t.entity_id END,
       kind: 'LINKS', props: properties(x.l)}]
    AS edges
