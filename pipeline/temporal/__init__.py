"""The date grammar: atomic patterns composed into expressions, and TIMEX3 value logic."""
