// title: Projects across levels and documents
// answers: Which projects are named in more than one document (a district's and the city's, a work report and its progress report), under which names, and how often?
// param project: optional; a project's name or one of its other names (example: 天岳碳化硅)
// columns: project, documents, regions, mentions
// portable: joins the names with reduce() rather than APOC's apoc.text.join.
MATCH (p:Project)<-[:MENTIONS]-(m)-[:FROM_DOCUMENT]->(d:Document)
WHERE $project IS NULL OR p.name = $project OR $project IN coalesce(p.aliases, [])
WITH p, m, d
ORDER BY d.docId
WITH p, collect(DISTINCT d.docId) AS docs, collect(DISTINCT d.region) AS places, count(DISTINCT m) AS mentions
WHERE size(docs) > 1
RETURN coalesce($project, p.name) AS project,
       reduce(s = '', n IN docs | s + CASE WHEN s = '' THEN '' ELSE '、' END + n) AS documents,
       reduce(s = '', n IN places | s + CASE WHEN s = '' THEN '' ELSE '、' END + n) AS regions,
       mentions
ORDER BY p.name
