// Template (__KIND__: node label, __KEY__: key property): every fact of a kind as the graph
// holds it: its key, the digest of its values and the values of the anchor columns (where it
// lies), for the loader to tell added, changed, unchanged and retracted rows apart. Returned as
// lists, a group of facts a record ($buckets groups by their digest): a record per fact costs
// the driver more than the facts themselves.
// Parameters: anchors (list of property names), buckets (int)
// Columns: keys, hashes, anchors (lists, in the same order)
MATCH (f:__KIND__)
WITH coalesce(f.fact_hash, 0) % $buckets AS bucket, f.__KEY__ AS key, f.fact_hash AS hash,
     [k IN $anchors | f[k]] AS anchors
RETURN collect(key) AS keys, collect(hash) AS hashes, collect(anchors) AS anchors
