// Poor party members (未脱贫党员): party members (as of the date) whose registered poor
// household was registered and had not exited as of the date.
//
// Kind: worklist
// Parameters:
//   as_of: date = today
// Columns: person_id, name, party_status, household_id, region_id, registered_on
MATCH (p:PartyMember)-[:IN_HOUSEHOLD]->(h:Household)
WHERE h.registered_poor
  AND ($scope IS NULL OR EXISTS { (h)-[:LOCATED_IN]->(:Region)-[:PART_OF*0..]->(:Region {region_id: $scope}) })
  AND (h.registered_on IS NULL OR h.registered_on <= $as_of)
  AND (h.exited_on IS NULL OR h.exited_on > $as_of)
  AND (p.party_joined_on IS NULL OR p.party_joined_on <= $as_of)
RETURN p.person_id AS person_id,
       p.name AS name,
       p.party_status AS party_status,
       h.household_id AS household_id,
       h.region_id AS region_id,
       h.registered_on AS registered_on
ORDER BY household_id, person_id
