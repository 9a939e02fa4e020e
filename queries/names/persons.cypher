// Names of persons, for showing results (queries/names.py): for each id in $ids that is a
// person in the scope (as queries/card.cypher reads it: their household, an organisation they
// belong to, a household they help, a work team they serve on or a post they hold lies in it),
// their name.
//
// Parameters:
//   ids: list of string
//   scope: string = null   (a region id, or null for no restriction)
// Columns: id, name
UNWIND $ids AS id
MATCH (p:Person {person_id: id})
WHERE $scope IS NULL
   OR EXISTS {
     (p)-[:IN_HOUSEHOLD|MEMBER_OF|HELPS|SERVES_ON|HOLDS*0..1]->()
        -[:LOCATED_IN|STATIONED_IN|IN_REGION*0..1]->(:Region)
        -[:PART_OF*0..]->(:Region {region_id: $scope})
   }
RETURN id, p.name AS name
