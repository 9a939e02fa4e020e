// Load rows of `enterprises`: one Enterprise per row, LOCATED_IN its region; the leading
// organisation LEADS it (when given).
// Parameters: rows (list of maps: entity_id, name, kind, region_id, workshop_type, new_type,
//   led_by_org_id)
UNWIND $rows AS row
MERGE (e:Enterprise {entity_id: row.entity_id})
SET e.name = row.name,
    e.kind = row.kind,
    e.workshop_type = row.workshop_type,
    e.new_type = row.new_type,
    e.region_id = row.region_id,
    e.led_by_org_id = row.led_by_org_id
WITH e, row
CALL (e, row) {
  OPTIONAL MATCH (e)-[old:LOCATED_IN]->(r0:Region)
  WHERE r0.region_id <> row.region_id
  DELETE old
}
CALL (e, row) {
  OPTIONAL MATCH (o0:Organization)-[old:LEADS]->(e)
  WHERE row.led_by_org_id IS NULL OR o0.org_id <> row.led_by_org_id
  DELETE old
}
CALL (e, row) {
  WITH e, row WHERE row.led_by_org_id IS NOT NULL
  MATCH (o:Organization {org_id: row.led_by_org_id})
  MERGE (o)-[:LEADS]->(e)
}
MATCH (r:Region {region_id: row.region_id})
MERGE (e)-[:LOCATED_IN]->(r)
