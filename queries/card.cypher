// Entity card (档案卡): the node with this id (person, household, organisation, division,
// relocation site, enterprise or work team), its properties and its neighbours grouped by
// relationship type, direction and label: how many, and the first 50 by id (items: id, name
// and the relationship's properties: dates, role, form). Under a region scope the node must
// lie in it, and neighbours that are entities outside it are left out. A person lies in a
// region when their household, an organisation they belong to, a household they help, a work
// team they serve on or a post they hold does; an organisation where it is located, or where
// its relocation site is.
//
// Provenance (contract §4: the file, Excel row and load each fact came from) is split from the
// properties by the post step, for the entity and for each relationship.
//
// Kind: point
// Post: card
// Parameters:
//   id: string
// Columns: label, id, name, properties (map), provenance (map: file, row, load), neighbours
//   (list of maps with relationship, direction, label, count and items; each item with its
//   provenance)
CALL () {
  MATCH (n:Person {person_id: $id}) RETURN n
  UNION MATCH (n:Household {household_id: $id}) RETURN n
  UNION MATCH (n:Organization {org_id: $id}) RETURN n
  UNION MATCH (n:Region {region_id: $id}) RETURN n
  UNION MATCH (n:RelocationSite {site_id: $id}) RETURN n
  UNION MATCH (n:Enterprise {entity_id: $id}) RETURN n
  UNION MATCH (n:WorkTeam {team_id: $id}) RETURN n
}
WITH n
WHERE $scope IS NULL
   OR EXISTS {
     (n)-[:IN_HOUSEHOLD|MEMBER_OF|HELPS|SERVES_ON|HOLDS|AT_SITE*0..1]->()
        -[:LOCATED_IN|STATIONED_IN|IN_REGION*0..1]->(:Region)
        -[:PART_OF*0..]->(:Region {region_id: $scope})
   }
OPTIONAL CALL (n) {
  MATCH (n)-[r]-(m)
  WHERE $scope IS NULL
     OR NOT m:Person|Household|Organization|Region|RelocationSite|Enterprise|WorkTeam
     OR EXISTS {
       (m)-[:IN_HOUSEHOLD|MEMBER_OF|HELPS|SERVES_ON|HOLDS|AT_SITE*0..1]->()
          -[:LOCATED_IN|STATIONED_IN|IN_REGION*0..1]->(:Region)
          -[:PART_OF*0..]->(:Region {region_id: $scope})
     }
  WITH r, m,
       CASE WHEN startNode(r) = n THEN 'out' ELSE 'in' END AS direction,
       [l IN labels(m) WHERE l <> 'PartyMember'][0] AS label,
       coalesce(m.person_id, m.household_id, m.org_id, m.site_id, m.entity_id, m.team_id,
                m.region_id, m.post_key, m.income_key, m.assessment_key, m.event_key) AS mid
  ORDER BY mid
  WITH type(r) AS relationship, direction, label,
       collect({id: mid,
                name: coalesce(m.name, m.post, m.event, toString(m.year)),
                relationship_properties: properties(r)}) AS found
  RETURN collect({relationship: relationship, direction: direction, label: label,
                  count: size(found), items: found[..50]}) AS neighbours
}
RETURN [l IN labels(n) WHERE l <> 'PartyMember'][0] AS label,
       coalesce(n.person_id, n.household_id, n.org_id, n.site_id, n.entity_id, n.team_id,
                n.region_id) AS id,
       n.name AS name,
       properties(n) AS properties,
       coalesce(neighbours, []) AS neighbours
