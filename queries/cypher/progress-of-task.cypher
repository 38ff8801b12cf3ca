// title: Progress reported on a task
// answers: What has every progress report said about a task (推进情况, 后续举措, status), in period order, and how sure is each link?
// param task: the task id (example: task:huaiyin-2025-work-report:16)
// columns: task, text, period, progress, next_steps, status, score, entry
// portable: runs unchanged on Neo4j 5 and on ArcadeDB's Bolt endpoint.
MATCH (t:Task)
WHERE t.id = $task
OPTIONAL MATCH (e:ProgressEntry)-[r:REPORTS_ON]->(t)
RETURN t.id AS task,
       t.text AS text,
       e.period AS period,
       e.progress AS progress,
       e.nextSteps AS next_steps,
       e.status AS status,
       r.score AS score,
       e.id AS entry
ORDER BY e.year, e.elapsed, period, entry
