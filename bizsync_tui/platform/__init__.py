"""The reference platform service of PLATFORM_API.md (see docs/platform.md).

- `app.create_app(database)`: the FastAPI application;
- `server.start_platform(data_dir, ...)`: serve it in a background thread;
- `store.Store`: its peewee storage (SQLite file or database URL).

It imports only the engine's view catalogue and contract helpers, never the
screens or the admin app's models.
"""
