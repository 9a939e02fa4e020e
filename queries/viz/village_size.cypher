// How large a village view would be (kg viz decides from it whether to draw the region's
// network whole or as clusters of villages): the households LOCATED_IN the region or a region
// PART_OF it, registered on or before the date (registered_on empty or <= as_of), and their
// members (IN_HOUSEHOLD).
// With a scope (a region id), no row unless the region lies under the scope (PART_OF*).
//
// Parameters:
//   id: string             (region_id)
//   as_of: date = today
//   scope: string = null   (a region id, or null for no restriction)
// Columns: level (the region's), households, members; no row when the region does not exist
//   or lies outside the scope
MATCH (root:Region {region_id: $id})
WHERE $scope IS NULL OR EXISTS { (root)-[:PART_OF*0..]->(:Region {region_id: $scope}) }
CALL (root) {
  MATCH (h:Household)-[:LOCATED_IN]->(:Region)-[:PART_OF*0..]->(root)
  WHERE h.registered_on IS NULL OR h.registered_on <= $as_of
  RETURN count(h) AS households, sum(COUNT { (:Person)-[:IN_HOUSEHOLD]->(h) }) AS members
}
RETURN root.level AS level, households, members
