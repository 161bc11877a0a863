"""Event logs: reading CSV and XES logs, and mining the organisation behind them."""
