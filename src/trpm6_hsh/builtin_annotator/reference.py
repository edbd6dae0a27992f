"""Reference FASTA access with contig-name harmonisation (``chr9`` vs ``9``, ``chrM`` vs ``MT``)."""

from __future__ import annotations

from pathlib import Path

import pysam
from Bio import SeqIO

from trpm6_hsh.contigs import match_contig_name
from trpm6_hsh.errors import InputError
from trpm6_hsh.files import open_text


class Reference:
    """Upper-case sequence access by 1-based inclusive coordinates.

    Uses the FASTA index through pysam when it exists or can be written; otherwise (read-only folder,
    no ``.fai``) reads the contigs with Biopython once. Either way the caller never sees a traceback.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._fasta: pysam.FastaFile | None = None
        self._loaded: dict[str, str] = {}
        if not self.path.exists():
            raise InputError(self.path, "the reference FASTA does not exist", "pass an existing FASTA with --fasta")
        try:
            self._fasta = pysam.FastaFile(str(self.path))
            self.lengths = dict(zip(self._fasta.references, self._fasta.lengths, strict=True))
        except (OSError, ValueError):
            try:
                with open_text(self.path) as handle:
                    self._loaded = {record.id: str(record.seq).upper() for record in SeqIO.parse(handle, "fasta")}
            except (OSError, ValueError, UnicodeDecodeError) as error:
                raise InputError(self.path, f"cannot read the reference FASTA ({error})",
                                 "pass a plain or bgzip-compressed FASTA (samtools faidx can index it)") from None
            self.lengths = {name: len(seq) for name, seq in self._loaded.items()}
        if not self.lengths:
            raise InputError(self.path, "the reference FASTA holds no sequence", "pass a FASTA file")

    def contig_for(self, name: str) -> str | None:
        return match_contig_name(name, self.lengths)

    def fetch(self, contig: str, start: int, end: int) -> str:
        """Bases ``start..end`` (1-based inclusive), clipped to the contig."""
        start = max(start, 1)
        end = min(end, self.lengths[contig])
        if end < start:
            return ""
        if self._fasta is not None:
            return self._fasta.fetch(contig, start - 1, end).upper()
        return self._loaded[contig][start - 1:end]
