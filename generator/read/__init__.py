"""Readers: turn a docs page (markdown or text) into doc entries with source spans."""
