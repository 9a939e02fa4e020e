// Record the warm-up's progress (see warm_read.cypher).
//
// Parameters: version (string), load (int), done (int), total (int), running (boolean)
// Columns: none
MERGE (w:AnswerWarm {key: 'warm'})
SET w.version = $version, w.load = $load, w.done = $done, w.total = $total,
    w.running = $running, w.updated = datetime()
