// Record the fingerprints of the files a load wrote completely. A load first records an empty
// list (so an interrupted load leaves nothing to skip), then the full list when it ends.
// Parameters: fingerprints (list of strings)
MERGE (s:LoadState {key: 'files'})
SET s.fingerprints = $fingerprints,
    s.updated_at = datetime()
