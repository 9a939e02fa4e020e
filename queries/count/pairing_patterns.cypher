// The number of rows of pairing_patterns (its header's Count:): the pairings current on the
// date whose household lies in the scope, counted without finding their components.
//
// Parameters: those of pairing_patterns (as_of), and scope
MATCH (p:Person)-[r:HELPS]->(h:Household)
WHERE r.start_on <= $as_of AND (r.end_on IS NULL OR r.end_on > $as_of)
  AND ($scope IS NULL
       OR EXISTS { (h)-[:LOCATED_IN]->(:Region)-[:PART_OF*0..]->(:Region {region_id: $scope}) })
RETURN count(*) AS total
