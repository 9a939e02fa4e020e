// Template (__KIND__: relationship type): the facts with the given keys: their values (the
// contract's columns, in the order given) and where they came from.
// Parameters: keys (list of strings), columns (list of property names)
// Columns: key, values (list), file, row, load
UNWIND $keys AS key
MATCH ()-[f:__KIND__ {fact_key: key}]->()
RETURN key, [k IN $columns | f[k]] AS values,
       f.source_file AS file, f.source_row AS row, f.source_load AS load
