"""REST API for plans, projects and targets."""
