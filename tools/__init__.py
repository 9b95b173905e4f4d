"""The commission & tier service of KOC Copilot.

Map: ``policy`` (programme rules as validated YAML) → ``commission`` (pure arithmetic) →
``ledger`` (imports, settlement) / ``rules`` (promotion, elimination, blacklist, core rule,
assessment) / ``reports`` (read models) over the SQLModel tables in ``models`` (schema owned by
Alembic migrations, engines in ``db``). ``service`` is the FastAPI app, ``client`` its httpx
client, ``lc_tools`` the identity-bound LangChain tools, ``demo`` the demo ledger, ``bench`` the
benchmarks and ``cli`` the ``koc`` commands.
"""
