from bizsync_tui.cli import main

if __name__ == "__main__":  # not when a worker process imports it (engine.sage.pool)
    raise SystemExit(main())
