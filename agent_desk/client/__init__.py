"""The desktop client's non-visual half: connection, resume, outbox, local state,
credentials. asyncio only: no widgets here (the ui package talks to it through signals)."""
