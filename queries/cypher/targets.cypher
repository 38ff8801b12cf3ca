// title: Main targets of a region, or one metric across regions
// answers: What are a region's main targets (主要预期目标), and how does one metric compare across districts and 济南市?
// param region: optional; the region's name (example: 槐荫区)
// param metric: optional; the normalized metric name (example: 地区生产总值)
// columns: region, level, metric, year, target, unit, qualifier, stretch, actual, period, document
// portable: runs unchanged on Neo4j 5 and on ArcadeDB's Bolt endpoint.
MATCH (r:Region)-[:HAS_TARGET]->(i:Indicator)
WHERE ($region IS NULL OR r.name = $region)
  AND ($metric IS NULL OR i.metric = $metric)
RETURN r.name AS region,
       r.level AS level,
       i.metric AS metric,
       i.year AS year,
       i.target AS target,
       i.unit AS unit,
       i.qualifier AS qualifier,
       i.stretch AS stretch,
       i.actual AS actual,
       i.period AS period,
       i.docId AS document
ORDER BY metric, region, year
