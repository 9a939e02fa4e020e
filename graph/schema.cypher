// The graph's schema: a uniqueness constraint on every id and row key, indexes for the lookups
// the queries and the loader make, and a full-text index (CJK analyzer) over names and ids.
// The full-text index is eventually consistent: updated just after commit, off the write path
// of bulk loads. Every statement is idempotent (IF NOT EXISTS), separated by semicolons.
CREATE CONSTRAINT region_id IF NOT EXISTS FOR (n:Region) REQUIRE n.region_id IS UNIQUE;
CREATE CONSTRAINT site_id IF NOT EXISTS FOR (n:RelocationSite) REQUIRE n.site_id IS UNIQUE;
CREATE CONSTRAINT org_id IF NOT EXISTS FOR (n:Organization) REQUIRE n.org_id IS UNIQUE;
CREATE CONSTRAINT household_id IF NOT EXISTS FOR (n:Household) REQUIRE n.household_id IS UNIQUE;
CREATE CONSTRAINT person_id IF NOT EXISTS FOR (n:Person) REQUIRE n.person_id IS UNIQUE;
CREATE CONSTRAINT team_id IF NOT EXISTS FOR (n:WorkTeam) REQUIRE n.team_id IS UNIQUE;
CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (n:Enterprise) REQUIRE n.entity_id IS UNIQUE;
CREATE CONSTRAINT post_key IF NOT EXISTS FOR (n:Post) REQUIRE n.post_key IS UNIQUE;
CREATE CONSTRAINT income_key IF NOT EXISTS FOR (n:CollectiveIncome) REQUIRE n.income_key IS UNIQUE;
CREATE CONSTRAINT assessment_key IF NOT EXISTS FOR (n:Assessment) REQUIRE n.assessment_key IS UNIQUE;
CREATE CONSTRAINT event_key IF NOT EXISTS FOR (n:Event) REQUIRE n.event_key IS UNIQUE;
CREATE CONSTRAINT load_state_key IF NOT EXISTS FOR (n:LoadState) REQUIRE n.key IS UNIQUE;
// The result store (queries/answers.py): answers kept in the graph, one per key, and the
// warm-up's progress. Bookkeeping, not facts (graph/checksum.py leaves them out).
CREATE CONSTRAINT answer_key IF NOT EXISTS FOR (n:Answer) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT answer_warm_key IF NOT EXISTS FOR (n:AnswerWarm) REQUIRE n.key IS UNIQUE;
CREATE INDEX person_id_number IF NOT EXISTS FOR (n:Person) ON (n.id_number);
CREATE INDEX region_level IF NOT EXISTS FOR (n:Region) ON (n.level);
CREATE INDEX org_setting IF NOT EXISTS FOR (n:Organization) ON (n.setting);
CREATE INDEX household_relocated_on IF NOT EXISTS FOR (n:Household) ON (n.relocated_on);
CREATE INDEX household_exited_on IF NOT EXISTS FOR (n:Household) ON (n.exited_on);
CREATE INDEX post_post IF NOT EXISTS FOR (n:Post) ON (n.post);
CREATE INDEX income_year IF NOT EXISTS FOR (n:CollectiveIncome) ON (n.year);
CREATE INDEX assessment_year IF NOT EXISTS FOR (n:Assessment) ON (n.year);
CREATE INDEX event_event IF NOT EXISTS FOR (n:Event) ON (n.event);
CREATE INDEX helps_start_on IF NOT EXISTS FOR ()-[r:HELPS]-() ON (r.start_on);
CREATE INDEX member_of_start_on IF NOT EXISTS FOR ()-[r:MEMBER_OF]-() ON (r.start_on);
// The keys of the facts that are relationships (contract §4 row keys): the loader finds a
// changed or retracted pairing, membership, team membership or benefit link by its key.
CREATE INDEX member_of_key IF NOT EXISTS FOR ()-[r:MEMBER_OF]-() ON (r.fact_key);
CREATE INDEX helps_key IF NOT EXISTS FOR ()-[r:HELPS]-() ON (r.fact_key);
CREATE INDEX serves_on_key IF NOT EXISTS FOR ()-[r:SERVES_ON]-() ON (r.fact_key);
CREATE INDEX links_key IF NOT EXISTS FOR ()-[r:LINKS]-() ON (r.fact_key);
CREATE FULLTEXT INDEX kg_search IF NOT EXISTS
FOR (n:Person|Organization|Region|Household|RelocationSite|Enterprise|WorkTeam)
ON EACH [n.name, n.person_id, n.id_number, n.org_id, n.region_id, n.household_id, n.site_id, n.entity_id, n.team_id]
OPTIONS {indexConfig: {`fulltext.analyzer`: 'cjk', `fulltext.eventually_consistent`: true}};
// The search finds persons by any part of their name (a surname, a character in the middle)
// and by their name in pinyin, whole or as initials (queries/search.cypher: CONTAINS and
// STARTS WITH, answered by these TEXT indexes).
CREATE TEXT INDEX person_name_text IF NOT EXISTS FOR (n:Person) ON (n.name);
CREATE TEXT INDEX person_pinyin_text IF NOT EXISTS FOR (n:Person) ON (n.name_pinyin);
CREATE TEXT INDEX person_initials_text IF NOT EXISTS FOR (n:Person) ON (n.name_initials);
