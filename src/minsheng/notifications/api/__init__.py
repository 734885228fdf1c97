"""REST API for the user's own notifications."""
