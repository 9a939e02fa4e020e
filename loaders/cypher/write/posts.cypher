// Write rows of `posts`: (Person)-[:HOLDS]->(Post) with the post AT_ORG its organisation and
// IN_REGION its region (each when given; changed ones replace the old). A post has no id in
// the ledgers: its key (person, post, organisation or region or place, start date) is kept in
// post_key. Every row carries key, hash, owner and prov (see regions.cypher). Dates arrive as
// ISO strings.
// Parameters: rows (list of maps: person_id, post, org_id, region_id, place, start_on, end_on,
//   end_reason, approval_ref, key, hash, owner, prov)
UNWIND $rows AS row
MATCH (p:Person {person_id: row.person_id})
MERGE (post:Post {post_key: row.key})
SET post += row.prov,
    post.fact_hash = row.hash,
    post.post = row.post,
    post.place = row.place,
    post.start_on = date(row.start_on),
    post.end_on = date(row.end_on),
    post.end_reason = row.end_reason,
    post.approval_ref = row.approval_ref,
    post.person_id = row.person_id,
    post.org_id = row.org_id,
    post.region_id = row.region_id
MERGE (p)-[h:HOLDS]->(post)
SET h += row.prov, h.owner = row.owner
WITH post, row
CALL (post, row) {
  OPTIONAL MATCH (post)-[old:AT_ORG|IN_REGION]->(x)
  WHERE (old:AT_ORG AND (row.org_id IS NULL OR x.org_id <> row.org_id))
     OR (old:IN_REGION AND (row.region_id IS NULL OR x.region_id <> row.region_id))
  DELETE old
}
CALL (post, row) {
  WITH post, row WHERE row.org_id IS NOT NULL
  MATCH (o:Organization {org_id: row.org_id})
  MERGE (post)-[l:AT_ORG]->(o)
  SET l += row.prov, l.owner = row.owner
}
CALL (post, row) {
  WITH post, row WHERE row.region_id IS NOT NULL
  MATCH (r:Region {region_id: row.region_id})
  MERGE (post)-[l:IN_REGION]->(r)
  SET l += row.prov, l.owner = row.owner
}
