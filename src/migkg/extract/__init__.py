"""Extraction: documents in, plain records (entities, mentions, relations) out."""
