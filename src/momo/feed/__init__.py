"""Identity-blind feeds, topics and search: the same for everyone who asks."""
