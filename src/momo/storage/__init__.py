"""Database engine, shared metadata and migrations. Tables live with the domain that owns them."""
