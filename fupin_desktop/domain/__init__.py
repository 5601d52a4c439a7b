"""Pure domain rules and vocabularies (standard library only)."""
