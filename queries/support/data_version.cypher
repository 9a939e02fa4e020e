// When the loader last changed the graph (it records the time at the start and at the end of
// every load): cached answers older than it are stale. Used by queries/cache.py
// and queries/answers.py.
//
// Parameters: none
// Columns: version (text, null for a graph never loaded), load (int or null)
OPTIONAL MATCH (s:LoadState {key: 'files'})
RETURN toString(s.updated_at) AS version, s.load AS load
