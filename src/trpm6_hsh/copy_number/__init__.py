"""Exon-level copy number of TRPM6 from read depth (deletions and duplications of one or more exons).

``call_copy_number(alignments, fasta, transcript, settings)`` counts reads per exon in every BAM/CRAM of a
batch and calls each sample against a reference set chosen from the others (and an optional panel of
normals); see ``model`` for the method and its limits, ``counts`` for what is counted.
"""

from trpm6_hsh.copy_number.caller import call_copy_number, count_batch, write_batch_copy_number
from trpm6_hsh.copy_number.counts import ExonCounts, Target, read_counts, write_counts
from trpm6_hsh.copy_number.model import call_batch
from trpm6_hsh.copy_number.results import CopyNumberCall, ExonCopyNumber, SampleCopyNumber, read_sample_copy_number
from trpm6_hsh.copy_number.settings import CopyNumberSettings

__all__ = [
    "CopyNumberCall",
    "CopyNumberSettings",
    "ExonCopyNumber",
    "ExonCounts",
    "SampleCopyNumber",
    "Target",
    "call_batch",
    "call_copy_number",
    "count_batch",
    "read_counts",
    "read_sample_copy_number",
    "write_batch_copy_number",
    "write_counts",
]
