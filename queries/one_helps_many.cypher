// One helps many (一帮多): helpers with two or more pairings (结对帮扶) current on the date,
// with the number of households each helps and their ids. region_id is the division of the
// helper's current party organisation, else of their own household. Under a region scope a
// helper is listed when one of their households lies in it, and household_ids names only
// those (household_count still counts them all).
//
// Kind: worklist
// Parameters:
//   as_of: date = today
// Columns: helper_id, name, household_count, household_ids (list), region_id
MATCH (p:Person)-[r:HELPS]->(h:Household)
WHERE r.start_on <= $as_of AND (r.end_on IS NULL OR r.end_on > $as_of)
WITH p, h
ORDER BY h.household_id
WITH p, collect(h) AS households
WHERE size(households) >= 2
WITH p, size(households) AS household_count,
     [h IN households
      WHERE $scope IS NULL
         OR EXISTS { (h)-[:LOCATED_IN]->(:Region)-[:PART_OF*0..]->(:Region {region_id: $scope}) }
      | h.household_id] AS household_ids
WHERE size(household_ids) > 0
OPTIONAL MATCH (p)-[m:MEMBER_OF]->(o:Organization)
WHERE m.start_on <= $as_of AND (m.end_on IS NULL OR m.end_on > $as_of)
OPTIONAL MATCH (p)-[:IN_HOUSEHOLD]->(own:Household)
WITH p, household_count, household_ids, head(collect(o.region_id)) AS org_region,
     head(collect(own.region_id)) AS own_region
RETURN p.person_id AS helper_id,
       p.name AS name,
       household_count,
       household_ids,
       coalesce(org_region, own_region) AS region_id
ORDER BY household_count DESC, helper_id
