"""The commission & tier service of KOC Copilot.

Map (each module imports only ones named before it): ``policy`` (programme rules as validated YAML) →
``commission`` (pure arithmetic) → ``ledger`` (imports, settlement) → ``rules`` (promotion,
elimination, blacklist, core rule, assessment) and ``competitions`` (the monthly ranking and its
prizes) → ``reports`` (read models), all over the SQLModel tables in ``models`` (schema owned by
Alembic migrations, engines in ``db``). ``catalog`` finds products. ``service`` assembles the
FastAPI app from ``deps`` (ledger, identity, errors), ``routes_koc`` and ``routes_hq``; ``client``
is its httpx client, ``lc_tools`` the identity-bound LangChain tools, ``demo`` the demo ledger,
``bench`` the benchmarks and ``cli`` the ``koc`` commands (``register_commands``). Only ``base``
is imported from outside the package.
"""
