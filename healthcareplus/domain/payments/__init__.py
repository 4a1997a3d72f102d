"""Payment methods, the gateway interface and its mock, the ledger and reconciliation."""
