"""Accounts, sign-in, the shared persona, per-thread voices and each person's private vault."""
