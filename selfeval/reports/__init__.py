"""Reports: results as text, JSON and HTML, and the department report (portfolio)."""
