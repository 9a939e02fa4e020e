// Template (__KIND__: relationship type): every fact of a kind as the graph holds it: its key,
// the digest of its values and the values of the anchor columns (see state_nodes.cypher).
// Parameters: anchors (list of property names)
// Columns: key, hash, anchors (list)
MATCH ()-[f:__KIND__]->()
RETURN f.fact_key AS key, f.fact_hash AS hash, [k IN $anchors | f[k]] AS anchors
