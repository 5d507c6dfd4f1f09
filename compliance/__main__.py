"""`python -m compliance assess|evaluate|bench`."""

from compliance.tools.cli import main

raise SystemExit(main())
