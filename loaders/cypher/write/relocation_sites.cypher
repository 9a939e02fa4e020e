// Write rows of `relocation_sites`: one RelocationSite per row, LOCATED_IN its region.
// Every row carries key, hash, owner and prov (see regions.cypher). Dates arrive as ISO strings.
// Parameters: rows (list of maps: site_id, name, region_id, opened_on, planned_households, key,
//   hash, owner, prov)
UNWIND $rows AS row
MERGE (s:RelocationSite {site_id: row.site_id})
SET s += row.prov,
    s.fact_hash = row.hash,
    s.name = row.name,
    s.opened_on = date(row.opened_on),
    s.planned_households = row.planned_households,
    s.region_id = row.region_id
WITH s, row
CALL (s, row) {
  OPTIONAL MATCH (s)-[old:LOCATED_IN]->(r0:Region)
  WHERE r0.region_id <> row.region_id
  DELETE old
}
MATCH (r:Region {region_id: row.region_id})
MERGE (s)-[l:LOCATED_IN]->(r)
SET l += row.prov, l.owner = row.owner
