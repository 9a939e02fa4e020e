// Industry coverage (产业带动): households with industry_conditions, whether each has a link
// current on the date to at least one business entity, and to a new-type (新型) entity.
// One row per county with the counts and shares.
//
// Kind: summary
// Parameters:
//   as_of: date = today
// Columns: county_id, county, households_with_conditions, linked_households,
//   linked_persons, new_type_households, new_type_share (of linked, 0..1)
MATCH (h:Household)
WHERE h.industry_conditions
  AND ($scope IS NULL OR EXISTS { (h)-[:LOCATED_IN]->(:Region)-[:PART_OF*0..]->(:Region {region_id: $scope}) })
OPTIONAL MATCH (e:Enterprise)-[l:LINKS]->(h)
WHERE (l.start_on IS NULL OR l.start_on <= $as_of) AND (l.end_on IS NULL OR l.end_on > $as_of)
WITH h, count(e) > 0 AS linked, coalesce(any(x IN collect(e.new_type) WHERE x), false) AS new_type
WITH h, linked, new_type,
     CASE WHEN linked THEN COUNT { (:Person)-[:IN_HOUSEHOLD]->(h) } ELSE 0 END AS persons
// counted per village first, then the villages climb to their county (a township has many
// villages: climbing from every household would expand it once per household)
MATCH (h)-[:LOCATED_IN]->(village:Region)
WITH village,
     count(h) AS households,
     sum(CASE WHEN linked THEN 1 ELSE 0 END) AS linked,
     sum(persons) AS persons,
     sum(CASE WHEN linked AND new_type THEN 1 ELSE 0 END) AS new_type
MATCH (village)-[:PART_OF]->(:Region)-[:PART_OF]->(county:Region)
WITH county,
     sum(households) AS households_with_conditions,
     sum(linked) AS linked_households,
     sum(persons) AS linked_persons,
     sum(new_type) AS new_type_households
RETURN county.region_id AS county_id,
       county.name AS county,
       households_with_conditions,
       linked_households,
       linked_persons,
       new_type_households,
       CASE WHEN linked_households = 0 THEN null
            ELSE toFloat(new_type_households) / linked_households END AS new_type_share
ORDER BY county_id
