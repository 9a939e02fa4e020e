// The fingerprints of the files that the last load wrote completely (no rejected row): a file
// whose fingerprint is among them is unchanged in the graph and need not be loaded again.
// Parameters: none
// Columns: fingerprints (list of strings)
MATCH (s:LoadState {key: 'files'})
RETURN s.fingerprints AS fingerprints
