"""API sign-in: token issue."""
