"""Notes, comments, topics, likes and bookmarks."""
