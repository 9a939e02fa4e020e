// A village's help network as of a date: the region, the households LOCATED_IN it (or in a
// region PART_OF it, for a township or county, with the regions in between), registered on or
// before the date (registered_on empty or <= as_of), their current helpers (HELPS current:
// start_on <= as_of and end_on empty or later) and their members (IN_HOUSEHOLD). Each helper
// carries `load`: all the households they help on the date; each household `head`: the name of
// its head (relation head).
// With `history`, the households registered later and every pairing whatever its dates are
// returned too (the page filters them by date: a slider replays the years). Without `members`,
// no household members (the content of a cluster of the county-scale view).
// With a scope (a region id), no row unless the region lies under the scope (PART_OF*); what it
// shows then lies under it too.
//
// Parameters:
//   id: string             (region_id of the village, community, township or county)
//   as_of: date = today
//   scope: string = null   (a region id, or null for no restriction)
//   history: bool = false  (every household and pairing, whatever their dates)
//   members: bool = true   (the members of the households)
// Columns: nodes (list of maps: key, kind, props, load, head), edges (list of maps: from, to,
//   kind, props); no row when the region does not exist or lies outside the scope
MATCH (root:Region {region_id: $id})
WHERE $scope IS NULL OR EXISTS { (root)-[:PART_OF*0..]->(:Region {region_id: $scope}) }
WITH root, COLLECT {
  MATCH (h:Household)-[:LOCATED_IN]->(:Region)-[:PART_OF*0..]->(root)
  WHERE $history OR h.registered_on IS NULL OR h.registered_on <= $as_of
  RETURN h
} AS households
CALL (root, households) {
  UNWIND households AS h
  MATCH (h)-[:LOCATED_IN]->(v:Region)
  WITH DISTINCT v
  MATCH path = (v)-[:PART_OF*0..]->(root)
  UNWIND relationships(path) AS rel
  WITH DISTINCT rel
  RETURN collect(rel) AS part_of
}
WITH root, households, part_of,
  COLLECT {
    UNWIND households AS h
    MATCH (p:Person)-[r:HELPS]->(h)
    WHERE $history OR (r.start_on <= $as_of AND (r.end_on IS NULL OR r.end_on > $as_of))
    RETURN {p: p, r: r, h: h, load: COUNT {
      MATCH (p)-[c:HELPS]->(:Household)
      WHERE c.start_on <= $as_of AND (c.end_on IS NULL OR c.end_on > $as_of) }}
  } AS helpers,
  COLLECT {
    UNWIND households AS h
    MATCH (m:Person)-[:IN_HOUSEHOLD]->(h)
    WHERE $members
    RETURN {m: m, h: h}
  } AS members
RETURN
  [{key: 'r:' + root.region_id, kind: 'region', props: properties(root)}]
  + [rel IN part_of | {key: 'r:' + startNode(rel).region_id, kind: 'region',
                       props: properties(startNode(rel))}]
  + [h IN households | {key: 'h:' + h.household_id, kind: 'household', props: properties(h),
       head: [(hm:Person)-[:IN_HOUSEHOLD]->(h) WHERE hm.relation = 'head' | hm.name][0]}]
  + [x IN helpers | {key: 'p:' + x.p.person_id, kind: 'helper', props: properties(x.p),
                     load: x.load}]
  + [x IN members | {key: 'p:' + x.m.person_id, kind: 'member', props: properties(x.m)}]
    AS nodes,
  [rel IN part_of | {from: 'r:' + startNode(rel).region_id, to: 'r:' + endNode(rel).region_id,
                     kind: 'PART_OF', props: {}}]
  + [h IN households | {from: 'h:' + h.household_id, to: 'r:' + h.region_id,
                        kind: 'LOCATED_IN', props: {}}]
  + [x IN helpers | {from: 'p:' + x.p.person_id, to: 'h:' + x.h.household_id, kind: 'HELPS',
                     props: properties(x.r)}]
  + [x IN members | {from: 'p:' + x.m.person_id, to: 'h:' + x.h.household_id,
                     kind: 'IN_HOUSEHOLD', props: {}}]
    AS edges
