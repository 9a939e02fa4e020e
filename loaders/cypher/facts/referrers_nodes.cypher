// Template (__KIND__: node label, __KEY__: key property): for facts that could not be retracted,
// one fact of another row that still refers to each (its relationship, and the file and row it
// came from), for the load report.
// Parameters: stem (string), keys (list of strings)
// Columns: key, type, file, row
UNWIND $keys AS key
MATCH (f:__KIND__ {__KEY__: key})-[r]-()
WHERE r.owner IS NULL OR r.owner <> $stem + ':' + key
WITH key, r
ORDER BY r.source_file, r.source_row
WITH key, collect(r)[0] AS r
RETURN key, type(r) AS type, r.source_file AS file, r.source_row AS row
