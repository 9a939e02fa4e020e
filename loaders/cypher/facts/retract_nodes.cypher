// Template (__KIND__: node label, __KEY__: key property): retract the facts with the given keys
// that nothing else refers to: the node goes with the relationships its own row wrote (their
// owner is "<stem>:<key>"). A node another fact still refers to (a household its members'
// rows name, a person with pairings) is kept; the loader reports it. One transaction per call:
// a fact is retracted whole or not at all.
// Parameters: stem (string), keys (list of strings)
// Columns: key (of each fact retracted)
UNWIND $keys AS key
MATCH (f:__KIND__ {__KEY__: key})
WHERE NOT EXISTS {
  MATCH (f)-[r]-()
  WHERE r.owner IS NULL OR r.owner <> $stem + ':' + key
}
DETACH DELETE f
RETURN key
