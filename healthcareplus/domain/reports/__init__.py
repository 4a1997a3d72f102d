"""CSV export, the monthly summary and signed download links."""
