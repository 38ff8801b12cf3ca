// title: Targets behind schedule
// answers: Which targets are behind after the latest progress report (actual below the target, or a count short of the share of the year elapsed, by the rules of data/status_rules.tsv), with their actual and the units and leaders responsible?
// param region: optional; the region's name (example: 槐荫区)
// columns: region, metric, target, actual, unit, period, status, lead_units, leaders
// portable: joins the sorted names with reduce() rather than APOC's apoc.text.join.
MATCH (i:Indicator)-[:IN_REGION]->(r:Region)
WHERE i.status = 'behind' AND ($region IS NULL OR r.name = $region)
OPTIONAL MATCH (u:Unit)-[:LEADS|RESPONSIBLE_FOR]->(:Task)-[:HAS_TARGET]->(i)
WITH i, r, collect(DISTINCT u.name) AS leading
OPTIONAL MATCH (v:Unit)-[:REPORTED_BY]->(:ProgressEntry)-[:STATES_ACTUAL]->(i)
WITH i, r, leading, collect(DISTINCT v.name) AS reporting
WITH i, r, leading + reporting AS names
OPTIONAL MATCH (l:Leader)-[:OVERSEES]->(:Task)-[:HAS_TARGET]->(i)
WITH i, r, names, collect(DISTINCT l.name) AS overseeing
UNWIND CASE WHEN size(names) = 0 THEN [null] ELSE names END AS name
WITH i, r, overseeing, name
ORDER BY name
WITH i, r, overseeing, collect(DISTINCT name) AS units
UNWIND CASE WHEN size(overseeing) = 0 THEN [null] ELSE overseeing END AS leader
WITH i, r, units, leader
ORDER BY leader
WITH i, r, units, collect(DISTINCT leader) AS leaders
RETURN r.name AS region,
       i.metric AS metric,
       i.target AS target,
       i.actual AS actual,
       i.unit AS unit,
       i.period AS period,
       i.status AS status,
       reduce(s = '', n IN units | s + CASE WHEN s = '' THEN '' ELSE '、' END + n) AS lead_units,
       reduce(s = '', n IN leaders | s + CASE WHEN s = '' THEN '' ELSE '、' END + n) AS leaders
ORDER BY region, metric
