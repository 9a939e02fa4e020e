// The warm-up's progress (queries/answers.py, access/warm.py): how many of the default
// date's answers are computed for the load the graph is at.
//
// Parameters: none
// Columns: version (text or null), load (int or null), done (int or null), total (int or null),
//   warm_version (text or null), running (boolean or null)
OPTIONAL MATCH (s:LoadState {key: 'files'})
OPTIONAL MATCH (w:AnswerWarm {key: 'warm'})
RETURN toString(s.updated_at) AS version, s.load AS load, w.done AS done, w.total AS total,
       w.version AS warm_version, w.running AS running
