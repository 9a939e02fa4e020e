// Load rows of `events`: (Person)-[:HAD_EVENT]->(Event {event, on, detail}), one per row
// (event_key = person_id|event|on|detail).
// Dates arrive as ISO strings (cheaper to send than temporal values) and become DATE here.
// Parameters: rows (list of maps: row_key, person_id, event, on, detail)
UNWIND $rows AS row
MATCH (p:Person {person_id: row.person_id})
MERGE (e:Event {event_key: row.row_key})
SET e.event = row.event,
    e.on = date(row.on),
    e.detail = row.detail,
    e.person_id = row.person_id
MERGE (p)-[:HAD_EVENT]->(e)
