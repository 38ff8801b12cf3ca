// title: Tasks a leader oversees
// answers: Which tasks does a leader (牵头领导) oversee, and which units lead them?
// param leader: the leader's name (example: 武毅)
// columns: region, leader, document, number, text, lead_units, task
// portable: joins the sorted names with reduce() rather than APOC's apoc.text.join, which neither a plain Neo4j nor ArcadeDB is sure to have.
MATCH (l:Leader)-[:OVERSEES]->(t:Task)
WHERE $leader IS NULL OR l.name = $leader
OPTIONAL MATCH (u:Unit)-[:LEADS]->(t)
WITH l, t, u.name AS lead_unit
ORDER BY lead_unit
WITH l, t, collect(DISTINCT lead_unit) AS names
RETURN l.region AS region,
       l.name AS leader,
       t.docId AS document,
       t.number AS number,
       t.text AS text,
       reduce(s = '', n IN names | s + CASE WHEN s = '' THEN '' ELSE '、' END + n) AS lead_units,
       t.id AS task
ORDER BY region, leader, document, t.seq
