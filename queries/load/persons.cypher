// Load rows of `persons`: one Person per row (also labelled PartyMember when a party member),
// IN_HOUSEHOLD of its household (when given).
// Parameters: rows (list of maps: person_id, name, id_number, gender, birth_date, phone,
//   household_id, relation, party_member, party_joined_on, party_status)
UNWIND $rows AS row
MERGE (p:Person {person_id: row.person_id})
SET p.name = row.name,
    p.id_number = row.id_number,
    p.gender = row.gender,
    p.birth_date = row.birth_date,
    p.phone = row.phone,
    p.relation = row.relation,
    p.party_member = row.party_member,
    p.party_joined_on = row.party_joined_on,
    p.party_status = row.party_status,
    p.household_id = row.household_id
WITH p, row
CALL (p, row) {
  WITH p, row WHERE row.party_member
  SET p:PartyMember
}
CALL (p, row) {
  WITH p, row WHERE NOT row.party_member
  REMOVE p:PartyMember
}
CALL (p, row) {
  OPTIONAL MATCH (p)-[old:IN_HOUSEHOLD]->(h0:Household)
  WHERE row.household_id IS NULL OR h0.household_id <> row.household_id
  DELETE old
}
CALL (p, row) {
  WITH p, row WHERE row.household_id IS NOT NULL
  MATCH (h:Household {household_id: row.household_id})
  MERGE (p)-[:IN_HOUSEHOLD]->(h)
}
