"""Reports: dashboards, quarterly reports and public statistics, all built on one suppression rule."""
