"""Well-being without tracking: a feed that ends, and care when a draft or a
search sounds like someone in crisis. Nothing here stores or reports a person."""
