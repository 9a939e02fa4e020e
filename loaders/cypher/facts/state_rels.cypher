// Template (__KIND__: relationship type): every fact of a kind as the graph holds it: its key,
// the digest of its values and the values of the anchor columns, as lists, a group of facts a
// record (see state_nodes.cypher).
// Parameters: anchors (list of property names), buckets (int)
// Columns: keys, hashes, anchors (lists, in the same order)
MATCH ()-[f:__KIND__]->()
WITH coalesce(f.fact_hash, 0) % $buckets AS bucket, f.fact_key AS key, f.fact_hash AS hash,
     [k IN $anchors | f[k]] AS anchors
RETURN collect(key) AS keys, collect(hash) AS hashes, collect(anchors) AS anchors
