// Names of divisions, for showing results (queries/names.py): for each id in $ids that is a
// division the scope may name (one under the scope, or above it: a township's token names its
// county and city), its name, its level and the names on the way down from the top
// (保山市 施甸县 摆榔乡 杨庄村). Ids that are not such divisions are left out.
//
// Parameters:
//   ids: list of string
//   scope: string = null   (a region id, or null for no restriction)
// Columns: id, name, level, path (list of names, from the top division down to this one)
UNWIND $ids AS id
MATCH (r:Region {region_id: id})
WHERE $scope IS NULL
   OR EXISTS { (r)-[:PART_OF*0..]->(:Region {region_id: $scope}) }
   OR EXISTS { (:Region {region_id: $scope})-[:PART_OF*0..]->(r) }
MATCH up = (r)-[:PART_OF*0..]->(top:Region)
WHERE NOT (top)-[:PART_OF]->(:Region)
RETURN id, r.name AS name, r.level AS level, [n IN reverse(nodes(up)) | n.name] AS path
