// title: One metric across levels
// answers: What target (and actual, and status) does 济南市 and each district set for one metric, side by side with the target of the city above?
// param metric: the normalized metric name (example: 地区生产总值)
// columns: region, level, target, actual, unit, status, city_target
// portable: runs unchanged on Neo4j 5 and on ArcadeDB's Bolt endpoint.
MATCH (i:Indicator)-[:IN_REGION]->(r:Region)
WHERE i.metric = $metric
OPTIONAL MATCH (i)-[:SAME_METRIC]->(c:Indicator)
RETURN r.name AS region,
       r.level AS level,
       i.target AS target,
       i.actual AS actual,
       i.unit AS unit,
       i.status AS status,
       c.target AS city_target
ORDER BY level, region, i.year
