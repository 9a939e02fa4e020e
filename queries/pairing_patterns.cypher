// Pairing patterns (帮扶形式): the connected components of the graph of pairings current on
// the date (helpers ↔ households), each classed one_to_one (1 helper, 1 household),
// one_to_many (1 helper, ≥ 2 households), many_to_one (≥ 2 helpers, 1 household) or
// many_to_many; one row per current pairing with its component and whether its
// declared_form matches the component's class (null when no form was declared). The summary
// counts components per class. Components are found over every current pairing; under a region
// scope only the pairings whose household lies in it are listed and counted.
//
// Neo4j classes most components itself, from degrees: a helper all of whose households have no
// other current helper is the centre of a star (one_to_one or one_to_many), named by its
// smallest id. The post step (queries/post.py) finds the other components (a household's
// helpers who help no one else: many_to_one; the rest: many_to_many) among the few pairings
// left, numbers every component and builds the rows. The answer travels as one record.
//
// Kind: worklist
// Post: pairing_patterns
// Parameters:
//   as_of: date = today
// Columns: helper_id, helper_name, household_id, region_id, declared_form, start_on, component,
//   component_helpers, component_households, component_class, form_matches (bool or null)
// Unstable: component (numbered in order of the components' smallest ids: any change renumbers)
// Count: count/pairing_patterns
MATCH (p:Person)-[r:HELPS]->(h:Household)
WHERE r.start_on <= $as_of AND (r.end_on IS NULL OR r.end_on > $as_of)
WITH h, collect([p, r]) AS helpers
WITH h, size(helpers) AS dh, helpers
UNWIND helpers AS x
WITH x[0] AS p, x[1] AS r, h, dh
WITH p, collect([h, r]) AS helped, max(dh) = 1 AS star, min(h.household_id) AS first
UNWIND helped AS y
WITH p, y[0] AS h, y[1] AS r, size(helped) AS dp, star,
     CASE WHEN first <= p.person_id THEN [first, 'h'] ELSE [p.person_id, 'p'] END AS key
WITH p, h, r, dp, CASE WHEN star THEN key END AS key,
     $scope IS NULL
       OR EXISTS { (h)-[:LOCATED_IN]->(:Region)-[:PART_OF*0..]->(:Region {region_id: $scope}) }
       AS in_scope
// pairings: the rows shown (the date as text: cheaper to send and read; key: the helper star's
// smallest id and its kind, else null; dp: the helper's households); stars: every helper
// star's key; others: the pairings of other components
RETURN collect(CASE WHEN in_scope THEN
         [p.person_id, p.name, h.household_id, h.region_id, r.declared_form,
          toString(r.start_on), key, dp]
       END) AS pairings,
       collect(DISTINCT key) AS stars,
       collect(CASE WHEN key IS NULL THEN [p.person_id, h.household_id, dp] END) AS others
