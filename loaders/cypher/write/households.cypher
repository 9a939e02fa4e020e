// Write rows of `households`: one Household per row, LOCATED_IN its village or community and
// RELOCATED_TO its relocation site (when given); changed links replace the old ones.
// Every row carries key, hash, owner and prov (see regions.cypher). Dates arrive as ISO strings.
// Parameters: rows (list of maps: household_id, region_id, size, registered_poor,
//   registered_on, poverty_cause, exited_on, industry_conditions, relocation_site_id,
//   relocated_on, key, hash, owner, prov)
// FOREACH over a zero- or one-element list is Cypher's cheap conditional write.
UNWIND $rows AS row
MERGE (h:Household {household_id: row.household_id})
SET h += row.prov,
    h.fact_hash = row.hash,
    h.size = row.size,
    h.registered_poor = row.registered_poor,
    h.registered_on = date(row.registered_on),
    h.poverty_cause = row.poverty_cause,
    h.exited_on = date(row.exited_on),
    h.industry_conditions = row.industry_conditions,
    h.relocated_on = date(row.relocated_on),
    h.region_id = row.region_id,
    h.relocation_site_id = row.relocation_site_id
WITH h, row
OPTIONAL MATCH (h)-[old:LOCATED_IN|RELOCATED_TO]->(x)
WHERE (old:LOCATED_IN AND x.region_id <> row.region_id)
   OR (old:RELOCATED_TO AND (row.relocation_site_id IS NULL OR x.site_id <> row.relocation_site_id))
DELETE old
WITH DISTINCT h, row
MATCH (r:Region {region_id: row.region_id})
MERGE (h)-[l:LOCATED_IN]->(r)
SET l += row.prov, l.owner = row.owner
WITH h, row
OPTIONAL MATCH (s:RelocationSite {site_id: row.relocation_site_id})
FOREACH (_ IN CASE WHEN s IS NULL THEN [] ELSE [1] END |
  MERGE (h)-[m:RELOCATED_TO]->(s)
  SET m += row.prov, m.owner = row.owner, m.relocated_on = date(row.relocated_on))
