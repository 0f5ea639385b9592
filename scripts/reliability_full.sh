#!/bin/sh
# The reliability tests at their full counts (docs/reliability.md quotes this run):
# 100 SIGKILLs of the typing window, 10,000 fuzz cases per entry point, every fault.
# Usage: scripts/reliability_full.sh [extra pytest arguments]
set -eu
cd "$(dirname "$0")/.."
counts="${ARCHIVE_BROWSER_COUNTS_FILE:-$(mktemp -t reliability-counts.XXXXXX)}"
: > "$counts"
export ARCHIVE_BROWSER_FULL_COUNTS=1 ARCHIVE_BROWSER_COUNTS_FILE="$counts"
status=0
# 100 kills take about five minutes: past the everyday suite's faulthandler_timeout of 300 s.
.venv/bin/pytest -q -p no:cacheprovider --durations=10 -o faulthandler_timeout=1800 \
    tests/system/test_crash_gui.py tests/system/test_faults.py tests/system/test_fuzz.py \
    tests/system/test_injection.py tests/core/test_userstore.py \
    tests/system/test_userstore_kill.py "$@" || status=$?
echo
echo "Counts (from $counts):"
.venv/bin/python - "$counts" <<'PY'
import json
import sys
from collections import defaultdict

totals: dict[tuple[str, str], int] = defaultdict(int)
for line in open(sys.argv[1], encoding="utf-8"):
    item = json.loads(line)
    totals[(item["file"], item["what"])] += item["count"]
for (file, what), count in sorted(totals.items()):
    print(f"  {file:<22} {what:<58} {count:>7,}")
PY
exit "$status"
