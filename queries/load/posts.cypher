// Load rows of `posts`: (Person)-[:HOLDS]->(Post) with the post AT_ORG its organisation and
// IN_REGION its region (each when given). A post has no id in the ledgers: row_key (person,
// post, org, region, place, start date) identifies it.
// Dates arrive as ISO strings (cheaper to send than temporal values) and become DATE here.
// Parameters: rows (list of maps: row_key, person_id, post, org_id, region_id, place,
//   start_on, end_on, end_reason, approval_ref)
UNWIND $rows AS row
MATCH (p:Person {person_id: row.person_id})
MERGE (post:Post {post_key: row.row_key})
SET post.post = row.post,
    post.place = row.place,
    post.start_on = date(row.start_on),
    post.end_on = date(row.end_on),
    post.end_reason = row.end_reason,
    post.approval_ref = row.approval_ref,
    post.person_id = row.person_id,
    post.org_id = row.org_id,
    post.region_id = row.region_id
MERGE (p)-[:HOLDS]->(post)
WITH post, row
CALL (post, row) {
  WITH post, row WHERE row.org_id IS NOT NULL
  MATCH (o:Organization {org_id: row.org_id})
  MERGE (post)-[:AT_ORG]->(o)
}
CALL (post, row) {
  WITH post, row WHERE row.region_id IS NOT NULL
  MATCH (r:Region {region_id: row.region_id})
  MERGE (post)-[:IN_REGION]->(r)
}
