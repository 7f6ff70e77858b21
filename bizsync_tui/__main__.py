from bizsync_tui.cli import main

raise SystemExit(main())
