// Template (__KIND__: an entity label, __KEY__: its id property): the divisions each given
// entity lies in directly, by the rule of in_region.cypher (its ancestors follow by PART_OF).
// Used to record where a changed or retracted fact lies, so that a region-bound reader of
// `kg changes` sees only the changes in their region.
// Parameters: ids (list of strings)
// Columns: id, regions (list of region ids)
UNWIND $ids AS id
MATCH (a:__KIND__ {__KEY__: id})
OPTIONAL MATCH (a)-[:IN_HOUSEHOLD|MEMBER_OF|HELPS|SERVES_ON|HOLDS|AT_SITE|AT_ORG*0..1]->()
               -[:LOCATED_IN|STATIONED_IN|IN_REGION*0..1]->(r:Region)
RETURN id, collect(DISTINCT r.region_id) AS regions
