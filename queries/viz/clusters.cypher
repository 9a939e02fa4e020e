// The county-scale help network as of a date, as figures per village (viz/clusters.py rolls them
// up to townships and counties): the regions under the region `id` (PART_OF*, itself included)
// with their parents, and for each region that households are LOCATED_IN, over its households
// registered on or before the date (registered_on empty or <= as_of):
//   households      how many;
//   poor            registered poor and not exited on the date (exited_on empty or later);
//   without_helper  of the poor, those with no pairing current on the date (HELPS start_on <=
//                   as_of, end_on empty or later): households_without_helper's reading;
//   one_helps_many  households with a current helper who has two or more current pairings
//                   (one_helps_many's reading: pairings counted over all their households);
//   members         persons IN_HOUSEHOLD of them;
//   helpers         the person ids of their current helpers (distinct per village).
// With a scope (a region id), no row unless the region lies under the scope (PART_OF*); what it
// counts then lies under it too.
//
// Parameters:
//   id: string             (region_id of a city, county, township or village)
//   as_of: date = today
//   scope: string = null   (a region id, or null for no restriction)
// Columns: regions (list of maps: region_id, name, level, parent_id: null for `id`), villages
//   (list of maps: region_id, households, poor, without_helper, one_helps_many, members,
//   helpers); no row when the region does not exist or lies outside the scope
MATCH (root:Region {region_id: $id})
WHERE $scope IS NULL OR EXISTS { (root)-[:PART_OF*0..]->(:Region {region_id: $scope}) }
CALL (root) {
  MATCH (r:Region)-[:PART_OF*0..]->(root)
  OPTIONAL MATCH (r)-[:PART_OF]->(parent:Region)
  RETURN collect({region_id: r.region_id, name: r.name, level: r.level,
                  parent_id: CASE WHEN r = root THEN null ELSE parent.region_id END}) AS regions
}
CALL (root) {
  MATCH (h:Household)-[:LOCATED_IN]->(v:Region)-[:PART_OF*0..]->(root)
  WHERE h.registered_on IS NULL OR h.registered_on <= $as_of
  WITH v, h,
    COLLECT {
      MATCH (p:Person)-[r:HELPS]->(h)
      WHERE r.start_on <= $as_of AND (r.end_on IS NULL OR r.end_on > $as_of)
      RETURN {id: p.person_id, many: COUNT {
        MATCH (p)-[c:HELPS]->(:Household)
        WHERE c.start_on <= $as_of AND (c.end_on IS NULL OR c.end_on > $as_of) } >= 2}
    } AS helpers,
    coalesce(h.registered_poor, false)
      AND (h.exited_on IS NULL OR h.exited_on > $as_of) AS poor,
    COUNT { (:Person)-[:IN_HOUSEHOLD]->(h) } AS members
  WITH v,
    count(h) AS households,
    sum(CASE WHEN poor THEN 1 ELSE 0 END) AS poor,
    sum(CASE WHEN poor AND size(helpers) = 0 THEN 1 ELSE 0 END) AS without_helper,
    sum(CASE WHEN any(x IN helpers WHERE x.many) THEN 1 ELSE 0 END) AS one_helps_many,
    sum(members) AS members,
    collect(helpers) AS helper_lists
  RETURN collect({
    region_id: v.region_id, households: households, poor: poor,
    without_helper: without_helper, one_helps_many: one_helps_many, members: members,
    helpers: reduce(acc = [], l IN helper_lists | acc + [x IN l WHERE NOT x.id IN acc | x.id])
  }) AS villages
}
RETURN regions, villages
