// Template (__KIND__: a node label, __KEY__: its id property): which of the given ids name a
// node of that label in the graph, with the region level (for regions; null for the others).
// Parameters: ids (list of strings)
// Columns: id, level
UNWIND $ids AS id
MATCH (n:__KIND__ {__KEY__: id})
RETURN id, n.level AS level
