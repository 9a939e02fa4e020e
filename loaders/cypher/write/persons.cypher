// Write rows of `persons`: one Person per row (also labelled PartyMember when a party member),
// IN_HOUSEHOLD of its household (when given; a changed household replaces the old link).
// Every row carries key, hash, owner and prov (see regions.cypher). Dates arrive as ISO strings.
// Parameters: rows (list of maps: person_id, name, id_number, gender, birth_date, phone,
//   household_id, relation, party_member, party_joined_on, party_status, name_pinyin,
//   name_initials (derived: loaders/derive.py), key, hash, owner, prov)
// FOREACH over a zero- or one-element list is Cypher's cheap conditional write.
UNWIND $rows AS row
MERGE (p:Person {person_id: row.person_id})
SET p += row.prov,
    p.fact_hash = row.hash,
    p.name = row.name,
    p.id_number = row.id_number,
    p.gender = row.gender,
    p.birth_date = date(row.birth_date),
    p.phone = row.phone,
    p.relation = row.relation,
    p.party_member = row.party_member,
    p.party_joined_on = date(row.party_joined_on),
    p.party_status = row.party_status,
    p.household_id = row.household_id,
    p.name_pinyin = row.name_pinyin,
    p.name_initials = row.name_initials
FOREACH (_ IN CASE WHEN row.party_member THEN [1] ELSE [] END | SET p:PartyMember)
FOREACH (_ IN CASE WHEN row.party_member THEN [] ELSE [1] END | REMOVE p:PartyMember)
WITH p, row
OPTIONAL MATCH (p)-[old:IN_HOUSEHOLD]->(h0:Household)
WHERE row.household_id IS NULL OR h0.household_id <> row.household_id
DELETE old
WITH DISTINCT p, row
OPTIONAL MATCH (h:Household {household_id: row.household_id})
FOREACH (_ IN CASE WHEN h IS NULL THEN [] ELSE [1] END |
  MERGE (p)-[l:IN_HOUSEHOLD]->(h)
  SET l += row.prov, l.owner = row.owner)
