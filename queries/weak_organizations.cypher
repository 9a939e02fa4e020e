// Weak and lax party organisations (软弱涣散) identified in a year, with their category and
// rectification.
//
// Kind: worklist
// Parameters:
//   year: int 1949..2100 = the current year
// Columns: org_id, name, kind, region_id, weak_category, rectified_on
MATCH (a:Assessment)
WHERE a.year = $year AND a.weak
MATCH (o:Organization)-[:ASSESSED]->(a)
WHERE $scope IS NULL OR EXISTS { (o)-[:LOCATED_IN]->(:Region)-[:PART_OF*0..]->(:Region {region_id: $scope}) }
RETURN o.org_id AS org_id,
       o.name AS name,
       o.kind AS kind,
       o.region_id AS region_id,
       a.weak_category AS weak_category,
       a.rectified_on AS rectified_on
ORDER BY org_id
