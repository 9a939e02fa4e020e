// Template (__KIND__: node label, __KEY__: key property): every fact of a kind as the graph
// holds it: its key, the digest of its values and the values of the anchor columns (where it
// lies), for the loader to tell added, changed, unchanged and retracted rows apart.
// Parameters: anchors (list of property names)
// Columns: key, hash, anchors (list)
MATCH (f:__KIND__)
RETURN f.__KEY__ AS key, f.fact_hash AS hash, [k IN $anchors | f[k]] AS anchors
