"""The thin HTTP layer: routes translate requests into domain calls and back."""
