// The load the graph is at and the answer kept under $key in the result store
// (queries/answers.py), in one round trip. An answer is served only if its version is the
// graph's (written since the last load stamp) and its body checks.
//
// Parameters:
//   key: string
// Columns: version (text, null for a graph never loaded), load (int or null),
//   answer_version (text or null), digest (text or null), body (bytes or null)
OPTIONAL MATCH (s:LoadState {key: 'files'})
OPTIONAL MATCH (a:Answer {key: $key})
RETURN toString(s.updated_at) AS version, s.load AS load,
       a.version AS answer_version, a.digest AS digest, a.body AS body
