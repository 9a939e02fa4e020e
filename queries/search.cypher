// Search (搜索) by Chinese name or id: persons, households, organisations, divisions,
// relocation sites, enterprises and work teams, best match first, from the kg_search
// full-text index (Lucene cjk analyzer: Chinese names match by character pairs, a single
// character as the start of a pair; a query of letters and digits also matches ids that
// start with it). The text is escaped, so Lucene
// syntax in it (quotes, brackets, AND, *) is searched for, not obeyed. Up to `limit` (1 to
// 100) results; under a region scope only what lies in it.
//
// Kind: point
// Parameters:
//   q: string
//   limit: int 1..100 = 20
// Columns: label, id, name, region_id, score
WITH trim($q) AS q
WHERE q <> ''
WITH q, toLower(reduce(s = q, c IN ['\\', '+', '-', '&', '|', '!', '(', ')', '{', '}', '[', ']',
                                      '^', '"', '~', '*', '?', ':', '/']
                         | replace(s, c, '\\' + c))) AS text
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
RETURN [l IN labels(node) WHERE l <> 'PartyMember'][0] AS label,
       coalesce(node.person_id, node.household_id, node.org_id, node.site_id, node.entity_id,
                node.team_id, node.region_id) AS id,
       node.name AS name,
       CASE WHEN node:Region THEN node.region_id
            ELSE coalesce(node.region_id, node.village_id) END AS region_id,
       score
ORDER BY score DESC, id
LIMIT CASE WHEN $limit > 100 THEN 100 WHEN $limit < 1 THEN 1 ELSE $limit END
