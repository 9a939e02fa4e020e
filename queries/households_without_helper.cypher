// Registered poor households, registered and not exited as of the date (exited_on empty or
// later), with no helper pairing current on the date.
//
// Kind: worklist
// Parameters:
//   as_of: date = today
// Columns: household_id, region_id, size, registered_on, poverty_cause, last_pairing_end
MATCH (h:Household)
WHERE h.registered_poor
  AND ($scope IS NULL OR EXISTS { (h)-[:LOCATED_IN]->(:Region)-[:PART_OF*0..]->(:Region {region_id: $scope}) })
  AND (h.registered_on IS NULL OR h.registered_on <= $as_of)
  AND (h.exited_on IS NULL OR h.exited_on > $as_of)
  AND NOT EXISTS {
    MATCH (:Person)-[r:HELPS]->(h)
    WHERE r.start_on <= $as_of AND (r.end_on IS NULL OR r.end_on > $as_of)
  }
OPTIONAL MATCH (:Person)-[ended:HELPS]->(h)
WHERE ended.end_on <= $as_of
WITH h, max(ended.end_on) AS last_pairing_end
RETURN h.household_id AS household_id,
       h.region_id AS region_id,
       h.size AS size,
       h.registered_on AS registered_on,
       h.poverty_cause AS poverty_cause,
       last_pairing_end
ORDER BY region_id, household_id
