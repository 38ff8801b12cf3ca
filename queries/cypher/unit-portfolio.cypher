// title: Everything a unit is charged with
// answers: Which tasks does a unit lead, assist or answer for, and how many in each role?
// param unit: the unit, full or district-generic; kg.queries binds region, unit and/or function from it (example: 长清区发展改革局)
// columns: region, unit, role, document, number, text, role_count, task
// portable: runs unchanged on Neo4j 5 and on ArcadeDB's Bolt endpoint.
MATCH (u:Unit)-[e:LEADS|ASSISTS|RESPONSIBLE_FOR]->(t:Task)
WHERE ($region IS NULL OR u.region = $region)
  AND ($unit IS NULL OR u.name = $unit OR $unit IN coalesce(u.aliases, []))
  AND ($function IS NULL OR $function IN coalesce(u.functions, []))
WITH u, t, CASE type(e) WHEN 'LEADS' THEN 'lead' WHEN 'ASSISTS' THEN 'assist' ELSE 'responsible' END AS role
WITH u, role, collect(t) AS tasks
UNWIND tasks AS t
RETURN u.region AS region,
       u.name AS unit,
       role,
       t.docId AS document,
       t.number AS number,
       t.text AS text,
       size(tasks) AS role_count,
       t.id AS task
ORDER BY region, unit, role, document, t.seq
