// Village collective economy (村级集体经济) of a year by county: villages and communities per
// tier (cumulative: at_least_50k counts every village with >= 50,000 yuan) and total income.
// Villages without a row for the year are empty shells (空壳村) like those with 0 income.
//
// Kind: summary
// Parameters:
//   year: int 1949..2100 = the current year
// Columns: county_id, county, villages, empty_shell, under_50k, at_least_50k, at_least_300k,
//   at_least_500k, at_least_1m, total_income
MATCH (v:Region)
WHERE v.level IN ['village', 'community']
  AND ($scope IS NULL OR EXISTS { (v)-[:PART_OF*0..]->(:Region {region_id: $scope}) })
MATCH (v)-[:PART_OF]->(:Region)-[:PART_OF]->(county:Region)
OPTIONAL MATCH (v)-[:HAS_INCOME]->(i:CollectiveIncome)
WHERE i.year = $year
WITH county, v, coalesce(sum(i.income_yuan), 0) AS income
WITH county,
     count(v) AS villages,
     sum(CASE WHEN income = 0 THEN 1 ELSE 0 END) AS empty_shell,
     sum(CASE WHEN income > 0 AND income < 50000 THEN 1 ELSE 0 END) AS under_50k,
     sum(CASE WHEN income >= 50000 THEN 1 ELSE 0 END) AS at_least_50k,
     sum(CASE WHEN income >= 300000 THEN 1 ELSE 0 END) AS at_least_300k,
     sum(CASE WHEN income >= 500000 THEN 1 ELSE 0 END) AS at_least_500k,
     sum(CASE WHEN income >= 1000000 THEN 1 ELSE 0 END) AS at_least_1m,
     sum(income) AS total_income
RETURN county.region_id AS county_id, county.name AS county, villages, empty_shell, under_50k,
       at_least_50k, at_least_300k, at_least_500k, at_least_1m, total_income
ORDER BY county_id
