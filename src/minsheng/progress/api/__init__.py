"""REST API for items with their lights, periods and progress reports."""
