// Write rows of `organizations`: one Organization per row, SUBORDINATE_TO its parent,
// LOCATED_IN its region and AT_SITE its relocation site (each when given).
// Every row carries key, hash, owner and prov (see regions.cypher). Dates arrive as ISO strings.
// Parameters: rows (list of maps: org_id, name, kind, parent_org_id, region_id, site_id,
//   setting, founded_on, dissolved_on, key, hash, owner, prov). Rows arrive parents first.
UNWIND $rows AS row
MERGE (o:Organization {org_id: row.org_id})
SET o += row.prov,
    o.fact_hash = row.hash,
    o.name = row.name,
    o.kind = row.kind,
    o.setting = row.setting,
    o.founded_on = date(row.founded_on),
    o.dissolved_on = date(row.dissolved_on),
    o.parent_org_id = row.parent_org_id,
    o.region_id = row.region_id,
    o.site_id = row.site_id
WITH o, row
CALL (o, row) {
  OPTIONAL MATCH (o)-[old:SUBORDINATE_TO]->(p0:Organization)
  WHERE row.parent_org_id IS NULL OR p0.org_id <> row.parent_org_id
  DELETE old
}
CALL (o, row) {
  OPTIONAL MATCH (o)-[old:LOCATED_IN]->(r0:Region)
  WHERE row.region_id IS NULL OR r0.region_id <> row.region_id
  DELETE old
}
CALL (o, row) {
  OPTIONAL MATCH (o)-[old:AT_SITE]->(s0:RelocationSite)
  WHERE row.site_id IS NULL OR s0.site_id <> row.site_id
  DELETE old
}
CALL (o, row) {
  WITH o, row WHERE row.parent_org_id IS NOT NULL
  MATCH (p:Organization {org_id: row.parent_org_id})
  MERGE (o)-[l:SUBORDINATE_TO]->(p)
  SET l += row.prov, l.owner = row.owner
}
CALL (o, row) {
  WITH o, row WHERE row.region_id IS NOT NULL
  MATCH (r:Region {region_id: row.region_id})
  MERGE (o)-[l:LOCATED_IN]->(r)
  SET l += row.prov, l.owner = row.owner
}
CALL (o, row) {
  WITH o, row WHERE row.site_id IS NOT NULL
  MATCH (s:RelocationSite {site_id: row.site_id})
  MERGE (o)-[l:AT_SITE]->(s)
  SET l += row.prov, l.owner = row.owner
}
