// Report: cadre work of the year of the date: reserve cadres (current posts), training,
// phone spot checks and awards in the year, census staff (current posts), seconded cadres
// since `since` (Shanghai Minhang → Baoshan: held in a region of the graph with place
// 上海市闵行区; Baoshan → Shanghai: no region, place starting 上海市).
//
// Parameters:
//   as_of: date = today
//   since: date = 2016-01-01
// Columns: reserve_cadres, trained, phone_checked, top_ten_secretaries, good_secretaries,
//   census_chief, census_deputy, census_enumerator, census_instructor, census_auditor,
//   seconded_in, seconded_out
WITH date({year: $as_of.year, month: 1, day: 1}) AS year_start
CALL (year_start) {
  MATCH (post:Post)
  WHERE post.post IN ['reserve_cadre', 'census_chief', 'census_deputy', 'census_enumerator',
                      'census_instructor', 'census_auditor']
    AND post.start_on <= $as_of AND (post.end_on IS NULL OR post.end_on > $as_of)
  MATCH (p:Person)-[:HOLDS]->(post)
  WITH post.post AS kind, count(DISTINCT p) AS n
  RETURN sum(CASE kind WHEN 'reserve_cadre' THEN n ELSE 0 END) AS reserve_cadres,
         sum(CASE kind WHEN 'census_chief' THEN n ELSE 0 END) AS census_chief,
         sum(CASE kind WHEN 'census_deputy' THEN n ELSE 0 END) AS census_deputy,
         sum(CASE kind WHEN 'census_enumerator' THEN n ELSE 0 END) AS census_enumerator,
         sum(CASE kind WHEN 'census_instructor' THEN n ELSE 0 END) AS census_instructor,
         sum(CASE kind WHEN 'census_auditor' THEN n ELSE 0 END) AS census_auditor
}
CALL (year_start) {
  MATCH (e:Event)
  WHERE e.on >= year_start AND e.on <= $as_of
  MATCH (p:Person)-[:HAD_EVENT]->(e)
  RETURN count(DISTINCT CASE WHEN e.event = 'training' THEN p END) AS trained,
         count(DISTINCT CASE WHEN e.event = 'phone_check' THEN p END) AS phone_checked,
         count(DISTINCT CASE WHEN e.event = 'award' AND e.detail = '十佳支书' THEN p END)
           AS top_ten_secretaries,
         count(DISTINCT CASE WHEN e.event = 'award' AND e.detail = '百名好支书' THEN p END)
           AS good_secretaries
}
CALL () {
  MATCH (post:Post)
  WHERE post.post = 'seconded_cadre' AND post.start_on >= $since AND post.start_on <= $as_of
  RETURN count(CASE WHEN post.region_id IS NOT NULL AND post.place = '上海市闵行区' THEN 1 END)
           AS seconded_in,
         count(CASE WHEN post.region_id IS NULL AND post.place STARTS WITH '上海市' THEN 1 END)
           AS seconded_out
}
RETURN reserve_cadres, trained, phone_checked, top_ten_secretaries, good_secretaries,
       census_chief, census_deputy, census_enumerator, census_instructor, census_auditor,
       seconded_in, seconded_out
