// Write rows of `events`: (Person)-[:HAD_EVENT]->(Event {event, on, detail}), one per key
// (event_key = person_id|event|on|detail).
// Every row carries key, hash, owner and prov (see regions.cypher). Dates arrive as ISO strings.
// Parameters: rows (list of maps: person_id, event, on, detail, key, hash, owner, prov)
UNWIND $rows AS row
MATCH (p:Person {person_id: row.person_id})
MERGE (e:Event {event_key: row.key})
SET e += row.prov,
    e.fact_hash = row.hash,
    e.event = row.event,
    e.on = date(row.on),
    e.detail = row.detail,
    e.person_id = row.person_id
MERGE (p)-[l:HAD_EVENT]->(e)
SET l += row.prov, l.owner = row.owner
