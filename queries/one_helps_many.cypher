// One helps many (一帮多): helpers with two or more pairings (结对帮扶) current on the date,
// with the number of households each helps and their ids. region_id is the division of the
// helper's current party organisation, else of their own household. Under a region scope a
// helper is listed when one of their households lies in it, household_ids names only those
// (household_count still counts them all), and region_id is that of the first of them when
// the helper's own division lies outside the scope.
//
// Kind: worklist
// Parameters:
//   as_of: date = today
// Columns: helper_id, name, household_count, household_ids (list), region_id
// Count: count/one_helps_many
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
     ] AS mine
WHERE size(mine) > 0
OPTIONAL MATCH (p)-[m:MEMBER_OF]->(o:Organization)
WHERE m.start_on <= $as_of AND (m.end_on IS NULL OR m.end_on > $as_of)
OPTIONAL MATCH (p)-[:IN_HOUSEHOLD]->(own:Household)
WITH p, household_count, mine,
     coalesce(head(collect(o.region_id)), head(collect(own.region_id))) AS home
RETURN p.person_id AS helper_id,
       p.name AS name,
       household_count,
       [h IN mine | h.household_id] AS household_ids,
       CASE WHEN $scope IS NULL
              OR EXISTS { (:Region {region_id: home})-[:PART_OF*0..]->(:Region {region_id: $scope}) }
            THEN home ELSE mine[0].region_id END AS region_id
ORDER BY household_count DESC, helper_id
