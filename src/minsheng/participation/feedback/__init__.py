"""Public rating per item (公众评价): one rating and an optional comment per verified person, item and period."""
