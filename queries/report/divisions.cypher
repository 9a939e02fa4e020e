// Report: administrative divisions by level.
//
// Parameters: none
// Columns: counties, townships, villages (villages and communities)
MATCH (r:Region)
RETURN count(CASE WHEN r.level = 'county' THEN 1 END) AS counties,
       count(CASE WHEN r.level = 'township' THEN 1 END) AS townships,
       count(CASE WHEN r.level IN ['village', 'community'] THEN 1 END) AS villages
