// The township and county of each division in $ids (a division that is itself a township or
// county is its own); ids that are not divisions are left out. Used by queries/rollup.py.
//
// Parameters:
//   ids: list of string
// Columns: region_id, township_id, township, county_id, county
UNWIND $ids AS id
MATCH (r:Region {region_id: id})
OPTIONAL MATCH (r)-[:PART_OF*0..]->(t:Region {level: 'township'})
OPTIONAL MATCH (r)-[:PART_OF*0..]->(c:Region {level: 'county'})
RETURN r.region_id AS region_id,
       t.region_id AS township_id,
       t.name AS township,
       c.region_id AS county_id,
       c.name AS county
