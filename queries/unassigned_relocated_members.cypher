// Relocated party members not placed in a party organisation (应纳尽纳): party members (as of
// the date) whose household relocated on or before the date and who have no membership current
// on the date in an organisation at the household's relocation site or in the division where
// the site is (the organisation's region_id equals the site's region_id).
// category: no_membership (no current membership anywhere) or not_transferred (current
// membership only elsewhere). Under a region scope: households whose village or relocation site
// lies in it.
//
// Kind: worklist
// Parameters:
//   as_of: date = today
// Columns: person_id, name, household_id, region_id, site_id, site_name, relocated_on, category,
//   current_org_ids (list)
MATCH (h:Household)
WHERE h.relocated_on <= $as_of
  AND ($scope IS NULL
       OR EXISTS { (h)-[:LOCATED_IN|RELOCATED_TO]->()-[:LOCATED_IN*0..1]->(:Region)
                   -[:PART_OF*0..]->(:Region {region_id: $scope}) })
MATCH (p:PartyMember)-[:IN_HOUSEHOLD]->(h)
WHERE p.party_joined_on IS NULL OR p.party_joined_on <= $as_of
OPTIONAL MATCH (h)-[:RELOCATED_TO]->(s:RelocationSite)
OPTIONAL MATCH (p)-[m:MEMBER_OF]->(o:Organization)
WHERE m.start_on <= $as_of AND (m.end_on IS NULL OR m.end_on > $as_of)
WITH p, h, s, collect(o) AS orgs
// coalesce: a comparison with a missing property is null, and none() of a null is null.
WHERE s IS NULL
   OR none(o IN orgs WHERE coalesce(o.site_id = s.site_id, false)
                        OR coalesce(o.region_id = s.region_id, false))
RETURN p.person_id AS person_id,
       p.name AS name,
       h.household_id AS household_id,
       h.region_id AS region_id,
       s.site_id AS site_id,
       s.name AS site_name,
       h.relocated_on AS relocated_on,
       CASE WHEN size(orgs) = 0 THEN 'no_membership' ELSE 'not_transferred' END AS category,
       [o IN orgs | o.org_id] AS current_org_ids
ORDER BY site_id, person_id
