// The number of rows of one_helps_many (its header's Count:): helpers with two or more
// pairings current on the date, one of whose households lies in the scope; counted without
// their names, households and divisions.
//
// Parameters: those of one_helps_many (as_of), and scope
MATCH (p:Person)-[r:HELPS]->(h:Household)
WHERE r.start_on <= $as_of AND (r.end_on IS NULL OR r.end_on > $as_of)
WITH p, collect(h) AS households
WHERE size(households) >= 2
  AND ($scope IS NULL
       OR any(h IN households
              WHERE EXISTS { (h)-[:LOCATED_IN]->(:Region)-[:PART_OF*0..]->(:Region {region_id: $scope}) }))
RETURN count(p) AS total
