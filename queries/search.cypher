// Search (搜索) by name, pinyin or id: persons, households, organisations, divisions,
// relocation sites, enterprises and work teams, persons first for a name.
// - Chinese text: persons named exactly so, then those whose name starts with it (a surname:
//   李), then those whose name holds it anywhere (a character in the middle: 伟), from the TEXT
//   index on Person.name;
// - letters: persons by their name in pinyin or its initials (liweijun, lwj; computed by the
//   loader), exactly, then as a start (li, liwei, lw);
// - then what the kg_search full-text index finds (Lucene cjk analyzer: names by pairs of
//   characters, ids and id numbers by their start), best first: households, organisations,
//   divisions (杨庄村), sites, enterprises, teams, and persons by id. The text is escaped, so
//   Lucene syntax in it (quotes, brackets, AND, *) is searched for, not obeyed.
// At most 1,000 matches of each kind are considered: `total` counts the matches (the same on
// every row; 1,000 or more: the list was cut, type more of the name); `offset` and `limit` (1
// to 100) choose the page. Each result carries its division, a person's being their
// household's, else that of an organisation they belong to, else of a household they help,
// with the names from the top down (保山市 施甸县 摆榔乡 杨庄村); a person's birth year and
// roles (helper: has helped a household; party_member; head: head of their household).
// Under a region scope only what lies in it (as queries/card.cypher reads it).
//
// Kind: point
// Parameters:
//   q: string
//   limit: int 1..100 = 20
//   offset: int 0..1000 = 0
// Columns: label, id, name, region_id, region_path (list of names, from the top down),
//   birth_year, roles (list: helper, party_member, head), score, total
WITH trim($q) AS q
WHERE q <> ''
WITH q, toLower(q) AS low, q =~ '.*\\p{IsHan}.*' AS chinese, q =~ '[A-Za-z]+' AS letters,
     toLower(reduce(s = q, c IN ['\\', '+', '-', '&', '|', '!', '(', ')', '{', '}', '[', ']',
                                  '^', '"', '~', '*', '?', ':', '/']
                    | replace(s, c, '\\' + c))) AS text
CALL (q, low, chinese, letters, text) {
  WITH q, chinese
  WHERE chinese
  MATCH (n:Person)
  WHERE n.name CONTAINS q
    AND ($scope IS NULL
         OR EXISTS {
           (n)-[:IN_HOUSEHOLD|MEMBER_OF|HELPS|SERVES_ON|HOLDS*0..1]->()
              -[:LOCATED_IN|STATIONED_IN|IN_REGION*0..1]->(:Region)
              -[:PART_OF*0..]->(:Region {region_id: $scope})
         })
  WITH n, CASE WHEN n.name = q THEN 0 WHEN n.name STARTS WITH q THEN 1 ELSE 2 END AS rank
  ORDER BY rank, size(n.name), n.person_id
  LIMIT 1000
  RETURN n, rank, 1.0 AS score
  UNION
  WITH low, letters
  WHERE letters
  MATCH (n:Person)
  WHERE (n.name_initials STARTS WITH low OR n.name_pinyin STARTS WITH low)
    AND ($scope IS NULL
         OR EXISTS {
           (n)-[:IN_HOUSEHOLD|MEMBER_OF|HELPS|SERVES_ON|HOLDS*0..1]->()
              -[:LOCATED_IN|STATIONED_IN|IN_REGION*0..1]->(:Region)
              -[:PART_OF*0..]->(:Region {region_id: $scope})
         })
  WITH n,
       CASE WHEN n.name_initials = low OR n.name_pinyin = low THEN 0
            WHEN n.name_initials STARTS WITH low THEN 1 ELSE 2 END AS rank
  ORDER BY rank, size(n.name_pinyin), n.person_id
  LIMIT 1000
  RETURN n, rank, 1.0 AS score
  UNION
  WITH q, chinese, letters, text
  CALL db.index.fulltext.queryNodes(
    'kg_search',
    CASE WHEN q =~ '[A-Za-z0-9]+' OR size(q) = 1 THEN text + '*' ELSE '"' + text + '"' END
  ) YIELD node, score
  WHERE $scope IS NULL
     OR EXISTS {
       (node)-[:IN_HOUSEHOLD|MEMBER_OF|HELPS|SERVES_ON|HOLDS|AT_SITE*0..1]->()
             -[:LOCATED_IN|STATIONED_IN|IN_REGION*0..1]->(:Region)
             -[:PART_OF*0..]->(:Region {region_id: $scope})
     }
  WITH node AS n, CASE WHEN chinese OR letters THEN 3 ELSE 0 END AS rank, score
  ORDER BY score DESC
  LIMIT 1000
  RETURN n, rank, score
}
WITH n, min(rank) AS rank, max(score) AS score
WITH n, rank, score,
     coalesce(n.person_id, n.household_id, n.org_id, n.site_id, n.entity_id, n.team_id,
              n.region_id) AS id
ORDER BY rank, score DESC, size(coalesce(n.name, '')), id
WITH collect({n: n, id: id, score: score}) AS found
WITH found, size(found) AS total
UNWIND found[$offset..$offset + CASE WHEN $limit > 100 THEN 100 WHEN $limit < 1 THEN 1
                                    ELSE $limit END] AS hit
WITH hit.n AS n, hit.id AS id, hit.score AS score, total
WITH n, id, score, total,
     CASE
       WHEN n:Person THEN coalesce(
         [(n)-[:IN_HOUSEHOLD]->(h:Household) | h.region_id][0],
         [(n)-[:MEMBER_OF]->(o:Organization) WHERE o.region_id IS NOT NULL | o.region_id][0],
         [(n)-[:HELPS]->(h:Household) | h.region_id][0])
       WHEN n:Region THEN n.region_id
       WHEN n:Organization THEN coalesce(n.region_id,
         [(n)-[:AT_SITE]->(s:RelocationSite) | s.region_id][0])
       ELSE coalesce(n.region_id, n.village_id)
     END AS region_id
OPTIONAL CALL (region_id) {
  MATCH up = (:Region {region_id: region_id})-[:PART_OF*0..]->(top:Region)
  WHERE NOT (top)-[:PART_OF]->(:Region)
  RETURN [r IN reverse(nodes(up)) | r.name] AS region_path
}
RETURN [l IN labels(n) WHERE l <> 'PartyMember'][0] AS label,
       id,
       n.name AS name,
       region_id,
       coalesce(region_path, []) AS region_path,
       CASE WHEN n:Person AND n.birth_date IS NOT NULL THEN n.birth_date.year END AS birth_year,
       CASE WHEN n:Person THEN
         [role IN [CASE WHEN EXISTS { (n)-[:HELPS]->(:Household) } THEN 'helper' END,
                   CASE WHEN n.party_member THEN 'party_member' END,
                   CASE WHEN n.relation = 'head' THEN 'head' END] WHERE role IS NOT NULL]
       ELSE [] END AS roles,
       score,
       total
