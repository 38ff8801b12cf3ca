// title: A task and its source
// answers: What exactly does the document say for a task, and where (character offsets and quote)?
// param task: optional; the task id (example: task:changqing-2025-division:1); or give doc_id and number instead
// param doc_id: optional; the document id, with number (example: changqing-2025-division)
// param number: optional; the task's number in its document, with doc_id (example: 1)
// columns: task, document, path, number, text, start, end, quote
// portable: the column `end` is back-quoted, since END is a Cypher keyword.
MATCH (t:Task)-[:FROM_DOCUMENT]->(d:Document)
WHERE ($task IS NULL OR t.id = $task)
  AND ($doc_id IS NULL OR t.docId = $doc_id)
  AND ($number IS NULL OR t.number = $number)
RETURN t.id AS task,
       d.docId AS document,
       d.path AS path,
       t.number AS number,
       t.text AS text,
       t.start AS start,
       t.end AS `end`,
       t.quote AS quote
ORDER BY document, t.seq
