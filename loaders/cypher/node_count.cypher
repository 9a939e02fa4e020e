// How many nodes the database holds: a load into an empty database goes through Neo4j's batch
// importer (a count-store lookup).
// Parameters: none
// Columns: n
MATCH (n)
RETURN count(n) AS n
