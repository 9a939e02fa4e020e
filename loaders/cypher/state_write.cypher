// Record the graph's load state (see state_read.cypher). A load first records its number with
// the files it is about to load removed (so that an interrupted load leaves nothing to skip),
// then the full state when it ends. updated_at stamps every change: cached answers older than it
// are stale (queries/support/data_version.cypher).
// Parameters: load (int), files (JSON text)
MERGE (s:LoadState {key: 'files'})
SET s.load = $load,
    s.files = $files,
    s.fingerprints = null,
    s.updated_at = datetime()
