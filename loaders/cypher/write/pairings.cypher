// Write rows of `pairings`: (Person)-[:HELPS {start_on, end_on, declared_form, measures}]->
// (Household), one relationship per key (helper, household, start date), keyed by fact_key.
// Every row carries key, hash and prov (see regions.cypher). Dates arrive as ISO strings.
// Parameters: rows (list of maps: helper_id, household_id, start_on, end_on, declared_form,
//   measures, key, hash, owner, prov)
UNWIND $rows AS row
MATCH (p:Person {person_id: row.helper_id})
MATCH (h:Household {household_id: row.household_id})
MERGE (p)-[r:HELPS {fact_key: row.key}]->(h)
SET r += row.prov,
    r.fact_hash = row.hash,
    r.helper_id = row.helper_id,
    r.household_id = row.household_id,
    r.start_on = date(row.start_on),
    r.end_on = date(row.end_on),
    r.declared_form = row.declared_form,
    r.measures = row.measures
