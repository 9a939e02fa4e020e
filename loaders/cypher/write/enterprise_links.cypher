// Write rows of `enterprise_links`: (Enterprise)-[:LINKS {link, start_on, end_on}]->(Household
// | Person | Enterprise), one relationship per key (entity, its one target, link, start date),
// keyed by fact_key. Every row carries key, hash and prov (see regions.cypher). Dates arrive as
// ISO strings.
// Parameters: rows (list of maps: entity_id, household_id, person_id, partner_entity_id, link,
//   start_on, end_on, key, hash, owner, prov)
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
MERGE (e)-[l:LINKS {fact_key: row.key}]->(t)
SET l += row.prov,
    l.fact_hash = row.hash,
    l.entity_id = row.entity_id,
    l.household_id = row.household_id,
    l.person_id = row.person_id,
    l.partner_entity_id = row.partner_entity_id,
    l.link = row.link,
    l.start_on = date(row.start_on),
    l.end_on = date(row.end_on)
