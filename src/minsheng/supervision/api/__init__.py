"""REST API for supervision notices (督办)."""
