"""Run a command as this small process's child and write the child's peak resident memory.

    python peak_rss.py OUT_FILE COMMAND [ARG...]

A process forked from a large one (pytest after hundreds of tests) starts with the parent's
pages resident, and Linux keeps that high-water mark across exec: measured directly, the
child would report pytest's memory. Forked from this small process instead, it reports its
own. The exit status is the command's.
"""

import resource
import subprocess
import sys
from pathlib import Path

out, command = Path(sys.argv[1]), sys.argv[2:]
status = subprocess.run(command, check=False).returncode
out.write_text(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024))
sys.exit(status)
