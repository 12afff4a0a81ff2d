"""The report: its schema, the gold format, long tables, the HTML view and the JSON
Schema files."""
