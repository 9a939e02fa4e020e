// Counties and townships for the explorer's filters (web/): every county and township, with
// its parent, name and whether it lies under the scope or holds it (a township's token still
// names its county, which it may not choose).
//
// Parameters:
//   scope: string = null   (a region id, or null for no restriction)
// Columns: region_id, name, level (county or township), parent_id, in_scope (bool)
MATCH (r:Region)
WHERE r.level IN ['county', 'township']
OPTIONAL MATCH (r)-[:PART_OF]->(parent:Region)
RETURN r.region_id AS region_id, r.name AS name, r.level AS level,
       parent.region_id AS parent_id,
       $scope IS NULL OR EXISTS {
         (r)-[:PART_OF*0..]->(:Region {region_id: $scope}) } AS in_scope
ORDER BY region_id
