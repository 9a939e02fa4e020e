// A helper's network as of a date: the helper (a person), the households they help on the date
// (HELPS current: start_on <= as_of and end_on empty or later) and the members of those
// households (IN_HOUSEHOLD). Each helper carries `load`: the households they help on the date.
// With a scope (a region id), only households lying under that region (LOCATED_IN, PART_OF*)
// are shown, and the helper only when their household, a current membership or a current
// pairing lies under it. Each household carries `head`: the name of its head (relation head).
// With `history`, every pairing of the helper is returned whatever its dates (ended ones and
// those not started yet too: the page filters them by date), with the households and members.
//
// Parameters:
//   id: string             (person_id of the helper)
//   as_of: date = today
//   scope: string = null   (a region id, or null for no restriction)
//   history: bool = false  (every pairing, whatever its dates)
// Columns: nodes (list of maps: key, kind, props, load), edges (list of maps: from, to, kind,
//   props); no row when the helper does not exist or lies outside the scope
MATCH (helper:Person {person_id: $id})
WHERE $scope IS NULL
   OR EXISTS {
     (helper)-[:IN_HOUSEHOLD]->(:Household)-[:LOCATED_IN]->(:Region)
       -[:PART_OF*0..]->(:Region {region_id: $scope}) }
   OR EXISTS {
     MATCH (helper)-[m:MEMBER_OF]->(:Organization)-[:LOCATED_IN|AT_SITE]->()
       -[:LOCATED_IN|PART_OF*0..]->(:Region {region_id: $scope})
     WHERE m.start_on <= $as_of AND (m.end_on IS NULL OR m.end_on > $as_of) }
   OR EXISTS {
     MATCH (helper)-[r:HELPS]->(:Household)-[:LOCATED_IN]->(:Region)
       -[:PART_OF*0..]->(:Region {region_id: $scope})
     WHERE r.start_on <= $as_of AND (r.end_on IS NULL OR r.end_on > $as_of) }
WITH helper, COLLECT {
  MATCH (helper)-[r:HELPS]->(h:Household)
  WHERE ($history OR (r.start_on <= $as_of AND (r.end_on IS NULL OR r.end_on > $as_of)))
    AND ($scope IS NULL OR EXISTS {
      (h)-[:LOCATED_IN]->(:Region)-[:PART_OF*0..]->(:Region {region_id: $scope}) })
  RETURN {h: h, r: r,
          head: [(hm:Person)-[:IN_HOUSEHOLD]->(h) WHERE hm.relation = 'head' | hm.name][0]}
} AS helped
WITH helper, helped, COLLECT {
  UNWIND helped AS x
  WITH DISTINCT x.h AS h
  MATCH (m:Person)-[:IN_HOUSEHOLD]->(h)
  RETURN {m: m, h: h}
} AS members
RETURN
  [{key: 'p:' + helper.person_id, kind: 'helper', props: properties(helper),
    load: COUNT {
      MATCH (helper)-[c:HELPS]->(:Household)
      WHERE c.start_on <= $as_of AND (c.end_on IS NULL OR c.end_on > $as_of) }}]
  + [x IN helped | {key: 'h:' + x.h.household_id, kind: 'household', props: properties(x.h),
                    head: x.head}]
  + [x IN members | {key: 'p:' + x.m.person_id, kind: 'member', props: properties(x.m)}]
    AS nodes,
  [x IN helped | {from: 'p:' + helper.person_id, to: 'h:' + x.h.household_id, kind: 'HELPS',
                  props: properties(x.r)}]
  + [x IN members | {from: 'p:' + x.m.person_id, to: 'h:' + x.h.household_id,
                     kind: 'IN_HOUSEHOLD', props: {}}]
    AS edges
