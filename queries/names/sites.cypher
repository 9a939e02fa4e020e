// Names of relocation sites, for showing results (queries/names.py): for each id in $ids that
// is a site in the scope (located in a division under it), its name.
//
// Parameters:
//   ids: list of string
//   scope: string = null   (a region id, or null for no restriction)
// Columns: id, name
UNWIND $ids AS id
MATCH (s:RelocationSite {site_id: id})
WHERE $scope IS NULL
   OR EXISTS { (s)-[:LOCATED_IN]->(:Region)-[:PART_OF*0..]->(:Region {region_id: $scope}) }
RETURN id, s.name AS name
