"""Links between documents: progress rows to tasks, targets to actuals, districts to the city.

Pure functions over ``list[kg.model.Extraction]`` returning frozen records;
nothing here reads or writes the graph.
"""

from kg.link.levels import (MetricLink, MetricStatement, ProjectGroup, ProjectRef,
                            TaskCorrespondence, metric_links, metric_statements,
                            project_groups, task_correspondences)
from kg.link.progress import ProgressLink, ProgressLinks, TargetLink, Unlinked, link_progress
from kg.link.status import elapsed_share, indicator_status, target_status, task_status

__all__ = [
    "MetricLink", "MetricStatement", "ProjectGroup", "ProjectRef", "TaskCorrespondence",
    "metric_links", "metric_statements", "project_groups", "task_correspondences",
    "ProgressLink", "ProgressLinks", "TargetLink", "Unlinked", "link_progress",
    "elapsed_share", "indicator_status", "target_status", "task_status",
]
