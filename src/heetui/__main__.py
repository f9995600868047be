from heetui.cli.main import main

raise SystemExit(main())
