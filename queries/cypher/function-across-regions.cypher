// title: One function across regions
// answers: For one functional category (发展改革, 财政 …), which unit holds it in each region and how many tasks does it lead, assist or answer for?
// param function: the functional category (example: 发展改革)
// columns: region, unit, function, led, assisted, responsible
// portable: runs unchanged on Neo4j 5 and on ArcadeDB's Bolt endpoint.
MATCH (u:Unit)
WHERE $function IN coalesce(u.functions, [])
OPTIONAL MATCH (u)-[e:LEADS|ASSISTS|RESPONSIBLE_FOR]->(t:Task)
WITH u,
     count(DISTINCT CASE WHEN type(e) = 'LEADS' THEN t END) AS led,
     count(DISTINCT CASE WHEN type(e) = 'ASSISTS' THEN t END) AS assisted,
     count(DISTINCT CASE WHEN type(e) = 'RESPONSIBLE_FOR' THEN t END) AS responsible
RETURN u.region AS region,
       u.name AS unit,
       $function AS function,
       led,
       assisted,
       responsible
ORDER BY region, unit
