// Write rows of `regions`: one Region per row, PART_OF its parent region.
// Every row carries: key (the fact's key), hash (digest of its values), owner ("regions:" +
// key, set on the relationships the row writes) and prov (source_file, source_row,
// source_load: where the row came from). Dates arrive as ISO strings (cheaper to send than
// temporal values) and become DATE here.
// Parameters: rows (list of maps: region_id, name, level, parent_id, poverty_listed, exited_on,
//   key, hash, owner, prov). Rows arrive parents first; a changed parent replaces the old PART_OF.
UNWIND $rows AS row
MERGE (r:Region {region_id: row.region_id})
SET r += row.prov,
    r.fact_hash = row.hash,
    r.name = row.name,
    r.level = row.level,
    r.parent_id = row.parent_id,
    r.poverty_listed = row.poverty_listed,
    r.exited_on = date(row.exited_on)
WITH r, row
CALL (r, row) {
  OPTIONAL MATCH (r)-[old:PART_OF]->(p0:Region)
  WHERE row.parent_id IS NULL OR p0.region_id <> row.parent_id
  DELETE old
}
CALL (r, row) {
  WITH r, row WHERE row.parent_id IS NOT NULL
  MATCH (p:Region {region_id: row.parent_id})
  MERGE (r)-[l:PART_OF]->(p)
  SET l += row.prov, l.owner = row.owner
}
