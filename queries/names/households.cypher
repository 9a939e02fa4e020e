// Names of households, for showing results (queries/names.py): for each id in $ids that is a
// household in the scope (located in a division under it), the name of its head (户主: the
// member whose relation is head; null when the ledger names none) and its division.
//
// Parameters:
//   ids: list of string
//   scope: string = null   (a region id, or null for no restriction)
// Columns: id, head, region_id
UNWIND $ids AS id
MATCH (h:Household {household_id: id})
WHERE $scope IS NULL
   OR EXISTS { (h)-[:LOCATED_IN]->(:Region)-[:PART_OF*0..]->(:Region {region_id: $scope}) }
RETURN id,
       [(m:Person)-[:IN_HOUSEHOLD]->(h) WHERE m.relation = 'head' | m.name][0] AS head,
       h.region_id AS region_id
