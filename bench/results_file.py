"""Where every bench script writes its table: bench/results/<kind>-<date>.md (and .json if given)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def save(kind: str, script: str, table: str, data: object = None) -> Path:
    """Write `table` under a heading naming `script` and the time; returns the .md file."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{kind}-{stamp}.md"
    path.write_text(f"# bench/{script}, {stamp}\n\n{table}\n")
    if data is not None:
        path.with_suffix(".json").write_text(json.dumps(data, indent=2))
    return path
