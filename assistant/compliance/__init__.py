"""The advertising-law compliance checker: rules as data (``rules.yaml``), brand terms from the
knowledge base, context-aware matching, platform limits."""
