// Template (__KIND__: an entity label, __KEY__: its id property): the ids of the entities of
// that label lying in the region $region (itself or below it), by the rule of the API's scope
// (queries/card.cypher): a division lies in its ancestors; a household, site, enterprise or
// organisation where it is located (an organisation also where its site is); a work team where
// it is stationed; a person where their household, organisations, helped households, teams or
// posts are. Used for `kg load --region` and for scoping the changes of a load.
// Parameters: region (string)
// Columns: id
MATCH (:Region {region_id: $region})<-[:PART_OF*0..]-(r:Region)
MATCH (r)<-[:LOCATED_IN|STATIONED_IN|IN_REGION*0..1]-()
      <-[:IN_HOUSEHOLD|MEMBER_OF|HELPS|SERVES_ON|HOLDS|AT_SITE|AT_ORG*0..1]-(a:__KIND__)
RETURN DISTINCT a.__KEY__ AS id
