// When the loader last changed the graph (it records the time at the start and at the end of
// every load): cached answers older than it are stale. Used by queries/cache.py.
//
// Parameters: none
// Columns: version (text, null for a graph never loaded)
OPTIONAL MATCH (s:LoadState {key: 'files'})
RETURN toString(s.updated_at) AS version
