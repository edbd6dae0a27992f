"""The header line the extract stage writes into every locus VCF, and its reader.

Later stages read the locus VCF, not the user's file; this line lets their messages name the user's file
(and so the file the user can fix) instead of an intermediate one under ``results/locus/``.
"""

from __future__ import annotations

from collections.abc import Sequence

import pysam

KEY = "trpm6_hsh_extract"


def header_line(source_name: str, regions: Sequence[str]) -> str:
    """``##trpm6_hsh_extract=<Source="…",Regions="…">``, the name made safe for a header value."""
    safe = source_name.replace("\\", "/").replace('"', "'").replace(">", ")").replace("\n", " ")
    return f'##{KEY}=<Source="{safe}",Regions="{",".join(regions)}">'


def source_of(header: pysam.VariantHeader) -> str:
    """The user's input file named by the extract stage ('' for a VCF the extract stage did not write)."""
    for record in header.records:
        if record.key == KEY and "Source" in record:
            return str(record["Source"]).strip('"')
    return ""
