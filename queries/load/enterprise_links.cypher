// Load rows of `enterprise_links`: (Enterprise)-[:LINKS {link, start_on, end_on}]->(Household
// | Person | Enterprise), one per row; row_key (entity, target, link, start date) identifies it.
// Dates arrive as ISO strings (cheaper to send than temporal values) and become DATE here.
// Parameters: rows (list of maps: row_key, entity_id, household_id, person_id,
//   partner_entity_id, link, start_on, end_on)
UNWIND $rows AS row
MATCH (e:Enterprise {entity_id: row.entity_id})
CALL (row) {
  MATCH (t:Household {household_id: row.household_id})
  RETURN t
  UNION
  MATCH (t:Person {person_id: row.person_id})
  RETURN t
  UNION
  MATCH (t:Enterprise {entity_id: row.partner_entity_id})
  RETURN t
}
MERGE (e)-[l:LINKS {link_key: row.row_key}]->(t)
SET l.link = row.link,
    l.start_on = date(row.start_on),
    l.end_on = date(row.end_on)
