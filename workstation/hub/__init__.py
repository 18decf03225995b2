"""The floor hub: an HTTP+JSON service (FastAPI on uvicorn) over one SQLite file. No Qt here."""
