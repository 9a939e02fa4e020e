// A relocation site as of a date: the site, the party organisations AT_SITE it that exist on the
// date (founded_on empty or <= as_of, dissolved_on empty or later), the households RELOCATED_TO
// it on or before the date (relocated_on <= as_of) and their party members (PartyMember, joined
// on or before the date). A party member is `unassigned` (kind unassigned_member) with the
// semantics of unassigned_relocated_members: no membership current on the date in an
// organisation at the site (site_id) or in the division where the site is (the organisation's
// region_id equals the site's region_id); `category` is no_membership or not_transferred and
// `current_orgs` names their current organisations. A placed member is linked (MEMBER_OF) to the
// organisation that places them (added when it is not at the site, i.e. in the site's division).
// With a scope (a region id), no row unless the site lies under it (LOCATED_IN, PART_OF*), and
// only households LOCATED_IN a region under it are shown. Each household carries `head`: the
// name of its head (relation head). With `history`, the memberships of those party members that
// ended by the date (end_on <= as_of) are returned too, with their organisations (whatever they
// are), for the page to draw dashed.
//
// Parameters:
//   id: string             (site_id)
//   as_of: date = today
//   scope: string = null   (a region id, or null for no restriction)
//   history: bool = false  (the members' ended memberships too)
// Columns: nodes (list of maps: key, kind, props, category, current_orgs), edges (list of
//   maps: from, to, kind, props); no row when the site does not exist or lies outside the scope
MATCH (site:RelocationSite {site_id: $id})
WHERE $scope IS NULL
   OR EXISTS { (site)-[:LOCATED_IN]->(:Region)-[:PART_OF*0..]->(:Region {region_id: $scope}) }
WITH site,
  COLLECT {
    MATCH (o:Organization)-[:AT_SITE]->(site)
    WHERE (o.founded_on IS NULL OR o.founded_on <= $as_of)
      AND (o.dissolved_on IS NULL OR o.dissolved_on > $as_of)
    RETURN o
  } AS site_orgs,
  COLLECT {
    MATCH (h:Household)-[:RELOCATED_TO]->(site)
    WHERE h.relocated_on <= $as_of
      AND ($scope IS NULL OR EXISTS {
        (h)-[:LOCATED_IN]->(:Region)-[:PART_OF*0..]->(:Region {region_id: $scope}) })
    RETURN h
  } AS households
WITH site, site_orgs, households, COLLECT {
  UNWIND households AS h
  MATCH (p:PartyMember)-[:IN_HOUSEHOLD]->(h)
  WHERE p.party_joined_on IS NULL OR p.party_joined_on <= $as_of
  WITH p, h, COLLECT {
    MATCH (p)-[m:MEMBER_OF]->(o:Organization)
    WHERE m.start_on <= $as_of AND (m.end_on IS NULL OR m.end_on > $as_of)
    RETURN {m: m, o: o}
  } AS current
  // coalesce: a comparison with a missing property is null
  WITH p, h, current,
       [x IN current WHERE coalesce(x.o.site_id = site.site_id, false)
                        OR coalesce(x.o.region_id = site.region_id, false)] AS placing
  WITH p, h, current, placing, COLLECT {
    MATCH (p)-[m:MEMBER_OF]->(o:Organization)
    WHERE $history AND m.end_on IS NOT NULL AND m.end_on <= $as_of
    RETURN {m: m, o: o}
  } AS ended
  RETURN {p: p, h: h, placing: placing, ended: ended,
          category: CASE WHEN size(placing) > 0 THEN null
                         WHEN size(current) = 0 THEN 'no_membership'
                         ELSE 'not_transferred' END,
          current_orgs: [x IN current | x.o.org_id + ' ' + x.o.name]}
} AS members
RETURN
  [{key: 's:' + site.site_id, kind: 'site', props: properties(site)}]
  + [o IN site_orgs | {key: 'o:' + o.org_id, kind: 'organization', props: properties(o)}]
  + reduce(acc = [], x IN members | acc + [y IN x.placing | {
      key: 'o:' + y.o.org_id, kind: 'organization', props: properties(y.o)}])
  + reduce(acc = [], x IN members | acc + [y IN x.ended | {
      key: 'o:' + y.o.org_id, kind: 'organization', props: properties(y.o)}])
  + [h IN households | {key: 'h:' + h.household_id, kind: 'household', props: properties(h),
                        head: [(hm:Person)-[:IN_HOUSEHOLD]->(h)
                               WHERE hm.relation = 'head' | hm.name][0]}]
  + [x IN members | {key: 'p:' + x.p.person_id,
                     kind: CASE WHEN x.category IS NULL THEN 'party_member'
                                ELSE 'unassigned_member' END,
                     props: properties(x.p), category: x.category,
                     current_orgs: x.current_orgs}]
    AS nodes,
  [o IN site_orgs | {from: 'o:' + o.org_id, to: 's:' + site.site_id, kind: 'AT_SITE',
                     props: {}}]
  + [h IN households | {from: 'h:' + h.household_id, to: 's:' + site.site_id,
                        kind: 'RELOCATED_TO', props: {relocated_on: h.relocated_on}}]
  + [x IN members | {from: 'p:' + x.p.person_id, to: 'h:' + x.h.household_id,
                     kind: 'IN_HOUSEHOLD', props: {}}]
  + reduce(acc = [], x IN members | acc + [y IN x.placing | {
      from: 'p:' + x.p.person_id, to: 'o:' + y.o.org_id, kind: 'MEMBER_OF',
      props: properties(y.m)}])
  + reduce(acc = [], x IN members | acc + [y IN x.ended | {
      from: 'p:' + x.p.person_id, to: 'o:' + y.o.org_id, kind: 'MEMBER_OF',
      props: properties(y.m)}])
    AS edges
