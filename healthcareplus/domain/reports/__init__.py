"""CSV export, the monthly summary and one-time download links."""
