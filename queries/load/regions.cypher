// Load rows of `regions`: one Region per row, PART_OF its parent region.
// Dates arrive as ISO strings (cheaper to send than temporal values) and become DATE here.
// Parameters: rows (list of maps: region_id, name, level, parent_id, poverty_listed, exited_on)
// Rows arrive parents first; a changed parent replaces the old PART_OF.
UNWIND $rows AS row
MERGE (r:Region {region_id: row.region_id})
SET r.name = row.name,
    r.level = row.level,
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
  MERGE (r)-[:PART_OF]->(p)
}
