"""``python -m healthcareplus``: see ``healthcareplus.cli``."""

from healthcareplus.cli import main

raise SystemExit(main())
