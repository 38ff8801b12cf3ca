// title: Tasks a unit leads
// answers: Which tasks does a unit lead? A district-generic name (区发展改革局) answers across districts through its functional category; a full name (长清区发展改革局) answers for one region. Tasks of a document that does not tell lead from assist are included with role "responsible".
// param unit: the unit, full or district-generic; kg.queries binds region, unit and/or function from it (example: 区发展改革局)
// columns: region, unit, role, document, number, text, task
// portable: runs unchanged on Neo4j 5 and on ArcadeDB's Bolt endpoint.
MATCH (u:Unit)-[e:LEADS|RESPONSIBLE_FOR]->(t:Task)
WHERE ($region IS NULL OR u.region = $region)
  AND ($unit IS NULL OR u.name = $unit OR $unit IN coalesce(u.aliases, []))
  AND ($function IS NULL OR $function IN coalesce(u.functions, []))
RETURN u.region AS region,
       u.name AS unit,
       CASE type(e) WHEN 'LEADS' THEN 'lead' ELSE 'responsible' END AS role,
       t.docId AS document,
       t.number AS number,
       t.text AS text,
       t.id AS task
ORDER BY region, document, t.seq, unit
