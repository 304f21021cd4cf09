"""spaCy components registered by migkg (also exposed through ``spacy_factories`` entry points)."""
