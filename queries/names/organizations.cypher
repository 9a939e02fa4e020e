// Names of party organisations, for showing results (queries/names.py): for each id in $ids
// that is an organisation in the scope (located in a division under it, or at a relocation
// site that is, as queries/card.cypher reads it), its name and kind.
//
// Parameters:
//   ids: list of string
//   scope: string = null   (a region id, or null for no restriction)
// Columns: id, name, kind
UNWIND $ids AS id
MATCH (o:Organization {org_id: id})
WHERE $scope IS NULL
   OR EXISTS {
     (o)-[:AT_SITE*0..1]->()-[:LOCATED_IN*0..1]->(:Region)
        -[:PART_OF*0..]->(:Region {region_id: $scope})
   }
RETURN id, o.name AS name, o.kind AS kind
