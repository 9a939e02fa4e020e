// Help trace (帮扶追溯): from a helper (a person_id), the households they help on the date and
// each household's members; from a household (a household_id), its helpers on the date. With
// history, pairings that ended on or before the date are listed too (current = false).
// Pairings that start after the date are never listed. Under a region scope only pairings
// whose household lies in it are listed.
//
// Kind: point
// Parameters:
//   id: string
//   as_of: date = today
//   history: bool = false
// Columns: helper_id, helper_name, household_id, region_id, declared_form, measures, start_on,
//   end_on, current (bool), member_ids (list), member_names (list)
CALL () {
  MATCH (p:Person {person_id: $id})-[r:HELPS]->(h:Household)
  RETURN p, r, h
  UNION
  MATCH (h:Household {household_id: $id})<-[r:HELPS]-(p:Person)
  RETURN p, r, h
}
WITH p, r, h, r.end_on IS NULL OR r.end_on > $as_of AS current
WHERE r.start_on <= $as_of AND (current OR $history)
  AND ($scope IS NULL
       OR EXISTS { (h)-[:LOCATED_IN]->(:Region)-[:PART_OF*0..]->(:Region {region_id: $scope}) })
OPTIONAL MATCH (m:Person)-[:IN_HOUSEHOLD]->(h)
WITH p, r, h, current, m
ORDER BY m.person_id
WITH p, r, h, current, collect(m.person_id) AS member_ids, collect(m.name) AS member_names
RETURN p.person_id AS helper_id,
       p.name AS helper_name,
       h.household_id AS household_id,
       h.region_id AS region_id,
       r.declared_form AS declared_form,
       r.measures AS measures,
       r.start_on AS start_on,
       r.end_on AS end_on,
       current,
       member_ids,
       member_names
ORDER BY current DESC, start_on DESC, helper_id, household_id
