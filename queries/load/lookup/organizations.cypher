// Which of the given ids are already in the graph as Organization nodes (for references from a dataset
// that does not itself contain them).
// Parameters: ids (list of strings)
// Columns: id (string), level (string: the region level for regions, else null)
UNWIND $ids AS id
MATCH (n:Organization {org_id: id})
RETURN id, null AS level
