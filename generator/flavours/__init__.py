"""Flavours: parsers for the type expressions each docs flavour writes."""
