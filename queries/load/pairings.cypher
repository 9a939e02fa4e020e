// Load rows of `pairings`: (Person)-[:HELPS {start_on, end_on, declared_form, measures}]->
// (Household), one relationship per helper, household and start date.
// Dates arrive as ISO strings (cheaper to send than temporal values) and become DATE here.
// Parameters: rows (list of maps: helper_id, household_id, start_on, end_on, declared_form,
//   measures)
UNWIND $rows AS row
MATCH (p:Person {person_id: row.helper_id})
MATCH (h:Household {household_id: row.household_id})
MERGE (p)-[r:HELPS {start_on: date(row.start_on)}]->(h)
SET r.end_on = date(row.end_on),
    r.declared_form = row.declared_form,
    r.measures = row.measures
