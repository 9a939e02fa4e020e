// What the graph says about the loads that made it: the number of the last load that wrote to
// it, and per file (stem) the fingerprint of the content it was last loaded from completely
// (a complete snapshot: no rejected row, not partial, no region, not blocked). A file whose
// fingerprint is recorded here is unchanged in the graph and need not be loaded again.
// Parameters: none
// Columns: load (int or null), files (JSON text: {stem: fingerprint}, or null)
OPTIONAL MATCH (s:LoadState {key: 'files'})
RETURN s.load AS load, s.files AS files
