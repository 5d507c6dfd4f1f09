"""`python -m compliance assess|evaluate|bench`."""

from compliance.cli import main

raise SystemExit(main())
