// Keep an answer in the result store (queries/answers.py), replacing what was kept under its
// key. Written only while the graph is still at the version it was computed from: an answer
// computed across a load's stamp is not kept.
//
// Parameters:
//   key: string
//   name: string (what it answers, for people reading the store)
//   version: string (the load stamp it was computed at)
//   load: int
//   digest: string (sha256 of body)
//   body: bytes (zlib-compressed JSON, queries/answers.py encode)
// Columns: kept (boolean)
OPTIONAL MATCH (s:LoadState {key: 'files'})
WITH s WHERE toString(s.updated_at) = $version
MERGE (a:Answer {key: $key})
SET a.name = $name, a.version = $version, a.load = $load, a.digest = $digest,
    a.body = $body, a.written = datetime()
RETURN true AS kept
