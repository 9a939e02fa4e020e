// Template (__KIND__: relationship type): retract the facts with the given keys. One
// transaction per call.
// Parameters: keys (list of strings)
// Columns: key (of each fact retracted)
UNWIND $keys AS key
MATCH ()-[f:__KIND__ {fact_key: key}]->()
DELETE f
RETURN key
