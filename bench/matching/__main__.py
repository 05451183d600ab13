"""python -m bench.matching [--quick]"""

import sys

from bench.matching import run
from bench.report import write_section

markdown = run(quick="--quick" in sys.argv)
write_section("matching", markdown)
print(markdown)
