// title: Units that share tasks with a unit
// answers: Which units work on the same tasks as a given unit, most shared tasks first?
// param unit: the unit, full or district-generic; kg.queries binds region, unit and/or function from it (example: 长清区财政局)
// columns: region, unit, other, shared
// portable: runs unchanged on Neo4j 5 and on ArcadeDB's Bolt endpoint.
MATCH (u:Unit)-[:LEADS|ASSISTS|RESPONSIBLE_FOR]->(t:Task)<-[:LEADS|ASSISTS|RESPONSIBLE_FOR]-(o:Unit)
WHERE ($region IS NULL OR u.region = $region)
  AND ($unit IS NULL OR u.name = $unit OR $unit IN coalesce(u.aliases, []))
  AND ($function IS NULL OR $function IN coalesce(u.functions, []))
  AND o.id <> u.id
WITH u, o, count(DISTINCT t) AS shared
RETURN u.region AS region,
       u.name AS unit,
       o.name AS other,
       shared
ORDER BY shared DESC, region, unit, other
