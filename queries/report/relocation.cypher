// Report: relocation sites, the party organisations set up at sites, and the party members
// (as of the date) of households relocated on or before the date.
//
// Parameters:
//   as_of: date = today
// Columns: sites, site_organizations, relocated_members
CALL () {
  MATCH (s:RelocationSite)
  RETURN count(s) AS sites
}
CALL () {
  MATCH (o:Organization)-[:AT_SITE]->(:RelocationSite)
  RETURN count(DISTINCT o) AS site_organizations
}
CALL () {
  MATCH (h:Household)
  WHERE h.relocated_on <= $as_of
  MATCH (p:PartyMember)-[:IN_HOUSEHOLD]->(h)
  WHERE p.party_joined_on IS NULL OR p.party_joined_on <= $as_of
  RETURN count(DISTINCT p) AS relocated_members
}
RETURN sites, site_organizations, relocated_members
