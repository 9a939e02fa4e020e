// Remove the answers of the result store (queries/answers.py) that are not for the graph's
// current version (older loads): they are never served, this only frees their space.
//
// Parameters: none
// Columns: removed (int)
OPTIONAL MATCH (s:LoadState {key: 'files'})
WITH toString(s.updated_at) AS version
MATCH (a:Answer)
WHERE version IS NULL OR a.version IS NULL OR a.version <> version
WITH collect(a) AS stale
FOREACH (a IN stale | DELETE a)
RETURN size(stale) AS removed
