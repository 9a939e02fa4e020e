// A household's helpers as of a date: the household, the persons helping it on the date (HELPS
// current: start_on <= as_of and end_on empty or later) and its members (IN_HOUSEHOLD). Each
// helper carries `load`: all the households they help on the date.
// With a scope (a region id), no row unless the household lies under that region (LOCATED_IN,
// PART_OF*); its helpers and members belong to it, so lie under it too. The household carries
// `head`: the name of its head (relation head). With `history`, every pairing of the household
// is returned whatever its dates (the page filters them by date).
//
// Parameters:
//   id: string             (household_id)
//   as_of: date = today
//   scope: string = null   (a region id, or null for no restriction)
//   history: bool = false  (every pairing, whatever its dates)
// Columns: nodes (list of maps: key, kind, props, load), edges (list of maps: from, to, kind,
//   props); no row when the household does not exist or lies outside the scope
MATCH (h:Household {household_id: $id})
WHERE $scope IS NULL
   OR EXISTS { (h)-[:LOCATED_IN]->(:Region)-[:PART_OF*0..]->(:Region {region_id: $scope}) }
WITH h,
  COLLECT {
    MATCH (p:Person)-[r:HELPS]->(h)
    WHERE $history OR (r.start_on <= $as_of AND (r.end_on IS NULL OR r.end_on > $as_of))
    RETURN {p: p, r: r, load: COUNT {
      MATCH (p)-[c:HELPS]->(:Household)
      WHERE c.start_on <= $as_of AND (c.end_on IS NULL OR c.end_on > $as_of) }}
  } AS helpers,
  COLLECT { MATCH (m:Person)-[:IN_HOUSEHOLD]->(h) RETURN m } AS members
RETURN
  [{key: 'h:' + h.household_id, kind: 'household', props: properties(h),
    head: [(hm:Person)-[:IN_HOUSEHOLD]->(h) WHERE hm.relation = 'head' | hm.name][0]}]
  + [x IN helpers | {key: 'p:' + x.p.person_id, kind: 'helper', props: properties(x.p),
                     load: x.load}]
  + [m IN members | {key: 'p:' + m.person_id, kind: 'member', props: properties(m)}]
    AS nodes,
  [x IN helpers | {from: 'p:' + x.p.person_id, to: 'h:' + h.household_id, kind: 'HELPS',
                   props: properties(x.r)}]
  + [m IN members | {from: 'p:' + m.person_id, to: 'h:' + h.household_id,
                     kind: 'IN_HOUSEHOLD', props: {}}]
    AS edges
