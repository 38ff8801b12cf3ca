// title: Units ranked by workload
// answers: Which units lead, assist or answer for the most tasks, in one region or overall?
// param region: optional; the region's name (example: 长清区)
// columns: region, unit, led, assisted, responsible, total
// portable: runs unchanged on Neo4j 5 and on ArcadeDB's Bolt endpoint.
MATCH (u:Unit)-[e:LEADS|ASSISTS|RESPONSIBLE_FOR]->(t:Task)
WHERE $region IS NULL OR u.region = $region
WITH u,
     count(DISTINCT CASE WHEN type(e) = 'LEADS' THEN t END) AS led,
     count(DISTINCT CASE WHEN type(e) = 'ASSISTS' THEN t END) AS assisted,
     count(DISTINCT CASE WHEN type(e) = 'RESPONSIBLE_FOR' THEN t END) AS responsible
RETURN u.region AS region,
       u.name AS unit,
       led,
       assisted,
       responsible,
       led + assisted + responsible AS total
ORDER BY total DESC, region, unit
