"""The `kgxl collect` command: its options handed to the district roll-up (kgxl.app.roll_up)."""
from __future__ import annotations

from pathlib import Path


def run_collect(args) -> int:
    from kgxl.app.district import Thresholds
    from kgxl.app.roll_up import roll_up
    from kgxl.core.actions import MONTH_OPT, parse_param

    limits = Thresholds(check_rate=args.check_rate, sample_rate=args.sample_rate, change=args.change)
    print(roll_up([Path(f) for f in args.folders], parse_param(MONTH_OPT, args.month), Path(args.out),
                  Path(args.db) if args.db else None, Path(args.expect) if args.expect else None, args.name or "",
                  limits, args.workers, args.scheduler))
    return 0
