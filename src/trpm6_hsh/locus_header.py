"""The locus VCF's own vocabulary: the extract stage's header line (writer and reader) and its INFO tags.

Later stages read the locus VCF, not the user's file; this line lets their messages name the user's file
(and so the file the user can fix) instead of an intermediate one under ``results/locus/``.
"""

from __future__ import annotations

from collections.abc import Sequence

import pysam

KEY = "trpm6_hsh_extract"

#: INFO tag bcftools norm writes on split or realigned records: ``CHR|POS|REF|ALT[|ALT_INDEX]``, so the
#: inheritance stage can see that two records came from one multiallelic site (a 1/2 call is two alleles in trans).
ORIGINAL_RECORD_TAG = "ORIGINAL_RECORD"

#: INFO tag on a locus record that stood for several identical records of the input (their number); the
#: inheritance stage names it in the evidence, and nothing downstream ever sees the duplicates.
DUPLICATE_RECORDS_TAG = "DUPLICATE_RECORDS"


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
