// Write rows of `enterprises`: one Enterprise per row, LOCATED_IN its region; the leading
// organisation LEADS it (when given). Both relationships belong to the enterprise's row.
// Every row carries key, hash, owner and prov (see regions.cypher).
// Parameters: rows (list of maps: entity_id, name, kind, region_id, workshop_type, new_type,
//   led_by_org_id, key, hash, owner, prov)
UNWIND $rows AS row
MERGE (e:Enterprise {entity_id: row.entity_id})
SET e += row.prov,
    e.fact_hash = row.hash,
    e.name = row.name,
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
  MERGE (o)-[l:LEADS]->(e)
  SET l += row.prov, l.owner = row.owner
}
MATCH (r:Region {region_id: row.region_id})
MERGE (e)-[l:LOCATED_IN]->(r)
SET l += row.prov, l.owner = row.owner
