// Pairing patterns (帮扶形式): the connected components of the graph of pairings current on
// the date (helpers ↔ households), each classed one_to_one (1 helper, 1 household),
// one_to_many (1 helper, ≥ 2 households), many_to_one (≥ 2 helpers, 1 household) or
// many_to_many; one row per current pairing with its component and whether its
// declared_form matches the component's class (null when no form was declared). The summary
// counts components per class. Components are found over every current pairing (networkx, see
// queries/post.py); under a region scope only the pairings whose household lies in it are
// listed and counted.
//
// Kind: worklist
// Post: pairing_patterns
// Parameters:
//   as_of: date = today
// Columns: helper_id, helper_name, household_id, region_id, declared_form, start_on, component,
//   component_helpers, component_households, component_class, form_matches (bool or null)
// Unstable: component (numbered in order of the components' smallest ids: any change renumbers)
MATCH (p:Person)-[r:HELPS]->(h:Household)
WHERE r.start_on <= $as_of AND (r.end_on IS NULL OR r.end_on > $as_of)
RETURN p.person_id AS helper_id,
       p.name AS helper_name,
       h.household_id AS household_id,
       h.region_id AS region_id,
       r.declared_form AS declared_form,
       r.start_on AS start_on,
       $scope IS NULL
         OR EXISTS { (h)-[:LOCATED_IN]->(:Region)-[:PART_OF*0..]->(:Region {region_id: $scope}) }
         AS in_scope
