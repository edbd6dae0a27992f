"""The embedded demo: a synthetic TRPM6 locus and a small cohort that shows every verdict.

No human reference can be shipped, so the demo reference is random DNA laid out on the real TRPM6 exon
structure (valid ORF, GT...AG introns) on a ``chr9`` of the real length, N everywhere else. Because the
generator writes the sequence, it also places the reference bases each catalogue variant needs (for
example codon 100 = CAG so that c.298C>T is p.(Gln100Ter)). Everything is seeded and free of clocks, so
the same build always gives byte-identical files; ``resources/demo/GRCh38`` is committed and a test
compares it with a fresh run.

The module is over 500 lines because the locus design, the variant catalogue, the people carrying them and
the README describing them must stay in step: each variant's reference bases, carriers and prose are
written next to each other so that one edit changes them together.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pysam
import pysam.bcftools
from Bio import bgzf
from Bio.Seq import Seq
from Bio.SeqUtils import seq3

from trpm6_hsh import shipped
from trpm6_hsh.demo_alignments import ALIGNMENT_SEED, ALIGNMENTS, PANEL_SIZE, PANEL_TSV, write_alignments
from trpm6_hsh.genome_build import CHR9_LENGTHS, parse_build
from trpm6_hsh.model import Build
from trpm6_hsh.model_resources import (
    CHROMOSOME,
    REFSEQ_TRANSCRIPT,
    TranscriptModel,
    read_exon_table,
)

SEQUENCE_SEED = 17_662
"""Seed of the random locus sequence (NM_017662)."""
CALL_SEED = 60_132
"""Seed of depths and genotype qualities (NP_060132)."""

FLANK_BP = 10_000
FASTA_LINE_WIDTH = 60
FASTA_CHUNK_LINES = 10_000
SENSE_CODONS = tuple(
    a + b + c for a in "ACGT" for b in "ACGT" for c in "ACGT" if a + b + c not in ("TAA", "TAG", "TGA")
)
START_CODON, STOP_CODON = "ATG", "TGA"
COMPLEMENT = str.maketrans("ACGTN", "TGCAN")



def fasta_name(build: Build) -> str:
    return f"synthetic_trpm6_locus.{build}.fa.gz"


def fasta_header(build: Build) -> str:
    return f"chr9 SYNTHETIC_TRPM6_LOCUS build={build} random sequence, not human; for demo and tests only"


# --- the designed reference bases --------------------------------------------------------------------

FIXED_CODONS: Mapping[int, str] = {
    100: "CAG",  # V1 c.298C>T -> TAG, p.(Gln100Ter)
    300: "CTG",  # V6 c.900G>A -> CTA, p.(Leu300=); second ALT c.900G>T -> CTT, also Leu
    334: "GAA",  # c.1002 = A differs from c.1003 = T: V2 cannot shift left
    335: "TGG",  # V2 c.1003del (T) then c.1004 = G: cannot shift right either
    600: "GCC",  # c.1800 = C closes the A run on its 5' side
    601: "AAA",  # c.1801-1804 = AAAA: the homopolymer run of V11
    602: "ACC",  # c.1805 = C closes the run on its 3' side
    700: "CGC",  # V5 c.2099G>A -> CAC, p.(Arg700His)
    1429: "TGC",  # V4 c.4287C>A -> TGA, p.(Cys1429Ter)
    1675: "CAA",  # V9 c.5023C>T -> TAA, p.(Gln1675Ter), exon 30
}
V11_RUN = (1801, 1802, 1803, 1804)

# Canonical splice variants and exon deletions are LoF with full PVS1 strength only where skipping or
# losing the exon shifts the frame (the ClinGen PVS1 decision tree). Exons 12 (135 nt) and 20 (129 nt) are
# in-frame, so the demo uses frameshifting exons: exon 11 (101 nt) and exon 25 (133 nt).
SPLICE_DONOR_EXON_C_END = 1308  # V3 c.1308+1G>A: donor of exon 11
SPLICE_ACCEPTOR_EXON_C_START = 3404  # V8 c.3404-1G>A: acceptor of exon 25
DELETED_EXON = 25  # V10 deletes exon 25 entirely, so it also covers V8
SV_ANCHOR_BELOW_EXON = 800
"""V10's VCF POS (the base kept before the deletion) lies this far below the exon, in the next intron."""
SV_END_ABOVE_EXON = 1000
"""V10's END lies this far above the exon, in the previous intron (the gene is on the minus strand)."""
FIXED_INTRONIC_BASES: Mapping[tuple[int, int], str] = {(1443, 300): "T"}  # V7 c.1443+300T>C


@dataclass(frozen=True)
class Locus:
    """The synthetic sequence of one build: ``bases`` on the + strand from ``start`` (1-based)."""

    model: TranscriptModel
    start: int
    bases: str

    @property
    def end(self) -> int:
        return self.start + len(self.bases) - 1

    def base(self, pos: int, length: int = 1) -> str:
        return self.bases[pos - self.start : pos - self.start + length]


def genomic_position(model: TranscriptModel, c_position: int, intron_offset: int = 0) -> int:
    """Genomic position of HGVS c.N (or c.N+k / c.N-k for intronic offsets) on the model."""
    cds = model.cds_positions()
    anchor = cds[c_position - 1]
    return anchor + intron_offset if model.strand == "+" else anchor - intron_offset


def _sense_to_plus(base: str, strand: str) -> str:
    return base if strand == "+" else base.translate(COMPLEMENT)


def _remove_start_codons(bases: list[str], rng: random.Random) -> None:
    """No ATG in the 5' UTR, so no upstream start codon competes with the real one."""
    for i in range(len(bases) - 2):
        if "".join(bases[i : i + 3]) == START_CODON:
            bases[i + 2] = rng.choice("ACT")


def design_locus(model: TranscriptModel) -> Locus:
    """Random locus DNA with the transcript's ORF, GT...AG introns and the catalogue's reference bases.

    The random draws depend only on the layout relative to the locus start, so two builds whose models
    differ by a constant shift get the very same sequence.
    """
    rng = random.Random(SEQUENCE_SEED)
    span = model.span
    start = span.start - FLANK_BP
    plus = rng.choices("ACGT", k=span.end + FLANK_BP - start + 1)

    def put_sense(pos: int, base: str) -> None:
        plus[pos - start] = _sense_to_plus(base, model.strand)

    cds = model.cds_positions()
    codons = [START_CODON, *rng.choices(SENSE_CODONS, k=len(cds) // 3 - 2), STOP_CODON]
    for number, codon in FIXED_CODONS.items():
        codons[number - 1] = codon
    for pos, base in zip(cds, "".join(codons), strict=True):
        put_sense(pos, base)

    exonic = model.exonic_positions()
    utr_positions = exonic[: exonic.index(cds[0])]
    utr = rng.choices("ACGT", k=len(utr_positions))
    _remove_start_codons(utr, rng)
    for pos, base in zip(utr_positions, utr, strict=True):
        put_sense(pos, base)

    step = 1 if model.strand == "+" else -1
    for upstream, downstream in zip(model.exons, model.exons[1:], strict=False):
        donor = upstream.span.end + 1 if step == 1 else upstream.span.start - 1
        acceptor = downstream.span.start - 1 if step == 1 else downstream.span.end + 1
        for pos, base in ((donor, "G"), (donor + step, "T"), (acceptor - step, "A"), (acceptor, "G")):
            put_sense(pos, base)
    for (c_position, offset), base in FIXED_INTRONIC_BASES.items():
        put_sense(genomic_position(model, c_position, offset), base)
    return Locus(model=model, start=start, bases="".join(plus))


# --- the variant catalogue ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Allele:
    """One ALT of a demo record and the effect it is designed to have on NM_017662.5."""

    alt: str
    hgvs_c: str
    hgvs_p: str
    consequence: str
    population_af: float | None


@dataclass(frozen=True)
class Site:
    """One demo VCF record on the + strand (1-based POS, REF/ALT as written in the VCFs)."""

    key: str
    pos: int
    ref: str
    alleles: tuple[Allele, ...]
    note: str = ""
    sv_end: int | None = None

    @property
    def alts(self) -> tuple[str, ...]:
        return tuple(allele.alt for allele in self.alleles)

    @property
    def population_af(self) -> tuple[float | None, ...]:
        return tuple(allele.population_af for allele in self.alleles)


class SenseTranscript:
    """The designed transcript read 5'->3' (CDS then 3' UTR), to state protein changes in HGVS terms."""

    def __init__(self, locus: Locus) -> None:
        model = locus.model
        self.cds = model.cds_positions()
        exonic = model.exonic_positions()
        self.coding_and_3utr = exonic[exonic.index(self.cds[0]) :]
        self.sense = {p: _sense_to_plus(locus.base(p), model.strand) for p in self.coding_and_3utr}

    def protein(self, changes: Mapping[int, str] | None = None) -> str:
        changes = changes or {}
        sequence = "".join(changes.get(p, self.sense[p]) for p in self.coding_and_3utr)
        return str(Seq(sequence[: len(sequence) // 3 * 3]).translate())

    def protein_change(self, changes: Mapping[int, str]) -> str:
        """HGVS p. prediction: p.(Gln100Ter), p.(Leu300=), p.(Arg700His) or p.(Trp335GlyfsTer5).

        ``changes`` maps genomic positions to their new sense base, or to "" for a deleted base.
        """
        before, after = self.protein(), self.protein(changes)
        if all(len(base) == 1 for base in changes.values()):
            codon = min(self.cds.index(pos) for pos in changes) // 3
            ref_aa, alt_aa = seq3(before[codon]), seq3(after[codon])
            return f"p.({ref_aa}{codon + 1}{'=' if ref_aa == alt_aa else alt_aa})"
        first = next(i for i, (a, b) in enumerate(zip(before, after, strict=False)) if a != b)
        ref_aa, alt_aa = seq3(before[first]), seq3(after[first])
        if alt_aa == "Ter":
            return f"p.({ref_aa}{first + 1}Ter)"
        stop = after.find("*", first)
        return f"p.({ref_aa}{first + 1}{alt_aa}fsTer{stop - first + 1 if stop >= 0 else '?'})"


def _snv(
    locus: Locus, key: str, c_position: int, offset: int, change: str, afs: tuple[float | None, ...], **effect: str
) -> Site:
    """A substitution given as HGVS c. (``C>T``; several ALTs as ``G>A,T``) on the sense strand."""
    ref_sense, alts_sense = change.split(">")
    strand = locus.model.strand
    pos = genomic_position(locus.model, c_position, offset)
    if locus.base(pos) != _sense_to_plus(ref_sense, strand):
        raise AssertionError(f"design error: {key} expects {ref_sense} (sense) at {pos}, not {locus.base(pos)}")
    position = f"c.{c_position}" + (f"{offset:+d}" if offset else "")
    transcript = SenseTranscript(locus)
    alleles = []
    for alt_sense, af in zip(alts_sense.split(","), afs, strict=True):
        hgvs_p = effect["hgvs_p"] if "hgvs_p" in effect else transcript.protein_change({pos: alt_sense})
        alleles.append(
            Allele(
                _sense_to_plus(alt_sense, strand),
                f"{position}{ref_sense}>{alt_sense}",
                hgvs_p,
                effect["consequence"],
                af,
            )
        )
    return Site(key, pos, locus.base(pos), tuple(alleles), effect.get("note", ""))


def _one_base_deletion(
    locus: Locus, key: str, c_position: int, af: float | None, note: str = "", written_at_c: int | None = None
) -> Site:
    """A 1-bp coding deletion ``c.<c_position>del`` (HGVS 3' position), written VCF-style on the + strand.

    The record deletes the base of ``written_at_c`` (default: ``c_position``) and is anchored on the base
    to its left; inside a run this may differ from the left-aligned form on purpose.
    """
    deleted = genomic_position(locus.model, written_at_c or c_position)
    anchor = deleted - 1
    hgvs_p = SenseTranscript(locus).protein_change({deleted: ""})
    allele = Allele(locus.base(anchor), f"c.{c_position}del", hgvs_p, "frameshift_variant", af)
    return Site(key, anchor, locus.base(anchor, 2), (allele,), note)


def _exon_deletion(locus: Locus, key: str, exon_number: int) -> Site:
    """A symbolic <DEL> from inside one flanking intron to inside the other, removing the whole exon."""
    model = locus.model
    exon = model.exons[exon_number - 1]
    anchor, end = exon.span.start - SV_ANCHOR_BELOW_EXON, exon.span.end + SV_END_ABOVE_EXON
    upstream, downstream = (SV_END_ABOVE_EXON, SV_ANCHOR_BELOW_EXON - 1)
    if model.strand == "+":
        upstream, downstream = downstream, upstream
    hgvs_c = f"c.{exon.c_start}-{upstream}_{exon.c_end}+{downstream}del"
    allele = Allele("<DEL>", hgvs_c, "p.?", "exon_loss_variant", None)
    note = f"heterozygous deletion of the whole of exon {exon_number} ({len(exon.cds)} nt: frameshifting)"
    return Site(key, anchor, locus.base(anchor), (allele,), note, sv_end=end)


def catalogue(locus: Locus) -> dict[str, Site]:
    """The demo variants V1-V11, placed on this build's locus and checked against the design."""
    sites = [
        _snv(locus, "V1", 298, 0, "C>T", (1.6e-05,), consequence="stop_gained"),
        _one_base_deletion(locus, "V2", 1003, 8e-06, "c.1003 differs from c.1002 and c.1004: no repeat"),
        _snv(
            locus, "V3", SPLICE_DONOR_EXON_C_END, 1, "G>A", (4e-06,), consequence="splice_donor_variant", hgvs_p="p.?"
        ),
        _snv(locus, "V4", 4287, 0, "C>A", (1.2e-05,), consequence="stop_gained"),
        _snv(locus, "V5", 2099, 0, "G>A", (0.00012,), consequence="missense_variant", note="uncertain significance"),
        _snv(
            locus,
            "V6",
            900,
            0,
            "G>A,T",
            (0.0021, None),
            consequence="synonymous_variant",
            note="second ALT carried by nobody",
        ),
        _snv(locus, "V7", 1443, 300, "T>C", (0.31,), consequence="intron_variant", hgvs_p="", note="deep intronic"),
        _snv(
            locus,
            "V8",
            SPLICE_ACCEPTOR_EXON_C_START,
            -1,
            "G>A",
            (4e-05,),
            consequence="splice_acceptor_variant",
            hgvs_p="p.?",
        ),
        _snv(
            locus,
            "V9",
            5023,
            0,
            "C>T",
            (0.05,),
            consequence="stop_gained",
            note="exon 30; common (AF 0.05), not qualifying",
        ),
        _exon_deletion(locus, "V10", DELETED_EXON),
        _one_base_deletion(
            locus,
            "V11",
            V11_RUN[-1],
            0.02,
            "deletes the rightmost T of a + strand TTTT run (not left-aligned); common (AF 0.02), not qualifying",
            written_at_c=V11_RUN[0],  # c.1801 is the run's rightmost base on the + strand (gene on -)
        ),
    ]
    _check_repeat_free(locus, "V2", [genomic_position(locus.model, 1003)])
    _check_repeat_free(locus, "V11", [genomic_position(locus.model, c) for c in V11_RUN])
    return {site.key: site for site in sites}


def _check_repeat_free(locus: Locus, key: str, run_positions: list[int]) -> None:
    """The run must be exactly these identical bases, so the VCF/HGVS positions are what the docs say."""
    run = range(min(run_positions), max(run_positions) + 1)
    bases = {locus.base(p) for p in run}
    flanks = {locus.base(run[0] - 1), locus.base(run[-1] + 1)}
    if len(run) != len(run_positions) or len(bases) != 1 or bases & flanks:
        raise AssertionError(f"design error: {key} needs a run of exactly {len(run_positions)} identical bases")


# --- the cohort --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoFile:
    """One demo VCF/BCF: its samples and their genotypes (``0/0`` where a sample is not listed)."""

    name: str
    samples: tuple[str, ...]
    genotypes: Mapping[str, Mapping[str, str]]
    index: str | None
    contig: str = "chr9"
    uncalled: tuple[str, ...] = ()
    """Samples with ``./.`` and no DP/GQ on every record."""
    structural: bool = False
    """The samples' structural-variant / copy-number VCF (sheet column ``sv_vcf``), not their ``vcf``."""

    @property
    def write_mode(self) -> str:
        if self.name.endswith(".bcf"):
            return "wb"
        return "wz" if self.name.endswith(".gz") else "w"


TRIO = ("DEMO03", "DEMO03_FA", "DEMO03_MO")
DEMO_FILES = (
    DemoFile("demo01.vcf.gz", ("DEMO01",), {"V1": {"DEMO01": "1/1"}}, index="tbi"),
    DemoFile("demo02.vcf.gz", ("DEMO02",), {"V2": {"DEMO02": "0|1"}, "V4": {"DEMO02": "1|0"}}, index=None),
    DemoFile(
        "trio.vcf.gz",
        TRIO,
        {
            "V3": {"DEMO03": "0/1", "DEMO03_FA": "0/1"},
            "V8": {"DEMO03": "0/1", "DEMO03_MO": "0/1"},
            "V11": {"DEMO03_FA": "0/1"},
        },
        index="tbi",
    ),
    DemoFile("demo04.bcf", ("DEMO04",), {"V1": {"DEMO04": "0/1"}, "V2": {"DEMO04": "0/1"}}, index="csi"),
    DemoFile(
        "demo05_contig9.vcf.gz",
        ("DEMO05",),
        {"V2": {"DEMO05": "1|0"}, "V4": {"DEMO05": "1|0"}},
        index="tbi",
        contig="9",
    ),
    DemoFile(
        "cohort_batch.vcf",
        ("DEMO06", "DEMO07", "DEMO09"),
        {
            "V4": {"DEMO06": "0/1"},
            "V5": {"DEMO06": "0/1"},
            "V6": {"DEMO07": "0/1"},
            "V7": {"DEMO07": "1/1"},
            "V9": {"DEMO07": "0/1"},
        },
        index=None,
        uncalled=("DEMO09",),
    ),
    DemoFile("demo08.vcf.gz", ("DEMO08",), {"V8": {"DEMO08": "1/1"}, "V10": {"DEMO08": "0/1"}}, index="tbi"),
    DemoFile(
        "cohort2.vcf.gz",
        ("DEMO10", "DEMO10_MO", "DEMO11", "DEMO12"),
        {"V2": {"DEMO12": "0/1"}, "V4": {"DEMO10": "1/1"}, "V5": {"DEMO11": "1/1"}},
        index="tbi",
    ),
    DemoFile("demo13.vcf.gz", ("DEMO13",), {"V1": {"DEMO13": "0/1"}}, index="tbi"),
    DemoFile("demo13.sv.vcf.gz", ("DEMO13",), {"V10": {"DEMO13": "0/1"}}, index="tbi", structural=True),
    DemoFile("demo14.vcf.gz", ("DEMO14",), {"V4": {"DEMO14": "0/1"}}, index="tbi"),
)

EXPECTED_VERDICTS = {
    "DEMO01": "HOMOZYGOUS",
    "DEMO02": "COMPOUND_HET_TRANS",
    "DEMO03": "COMPOUND_HET_TRANS",
    "DEMO03_FA": "CARRIER",
    "DEMO03_MO": "CARRIER",
    "DEMO04": "COMPOUND_HET_PHASE_UNKNOWN",
    "DEMO05": "CIS_NOT_BIALLELIC",
    "DEMO06": "QUALIFYING_PLUS_VUS",
    "DEMO07": "NEGATIVE",
    "DEMO08": "COMPOUND_HET_TRANS",
    "DEMO09": "NOT_ASSESSABLE",
    "DEMO10": "POSSIBLE_HEMIZYGOUS",
    "DEMO10_MO": "NEGATIVE",
    "DEMO11": "BIALLELIC_VUS",
    "DEMO12": "CARRIER",
    "DEMO13": "COMPOUND_HET_PHASE_UNKNOWN",
    "DEMO14": "COMPOUND_HET_PHASE_UNKNOWN",
}

SAMPLE_SHEET_COLUMNS = (
    "sample_id",
    "vcf",
    "family_id",
    "paternal_id",
    "maternal_id",
    "sex",
    "affected",
    "alignment",
    "sv_vcf",
    "serum_mg_mmol_l",
    "serum_ca_mmol_l",
    "pth_pg_ml",
)


@dataclass(frozen=True)
class Person:
    """Sample-sheet facts about one demo sample (lab values as written, empty = not measured)."""

    family_id: str
    sex: str
    affected: str
    serum_mg: str = ""
    serum_ca: str = ""
    pth: str = ""
    father: str = ""
    mother: str = ""


PEOPLE = {
    "DEMO01": Person("FAM01", "female", "true", "0.28", "1.71", "31"),
    "DEMO02": Person("FAM02", "male", "true", "0.35", "1.82", "24"),
    "DEMO03": Person("FAM03", "male", "true", "0.31", "1.65", "28", father="DEMO03_FA", mother="DEMO03_MO"),
    "DEMO03_FA": Person("FAM03", "male", "false"),
    "DEMO03_MO": Person("FAM03", "female", "false"),
    "DEMO04": Person("FAM04", "female", "true", "0.42", "1.88", ""),
    "DEMO05": Person("FAM05", "male", "true", "0.39", "", ""),
    "DEMO06": Person("FAM06", "female", "true", "0.45", "1.90", "36"),
    "DEMO07": Person("FAM07", "male", "true", "0.55", "2.12", "40"),
    "DEMO08": Person("FAM08", "female", "true", "0.25", "1.60", "22"),
    "DEMO09": Person("FAM09", "unknown", "true"),
    "DEMO10": Person("FAM10", "male", "true", "0.33", "1.75", "26", mother="DEMO10_MO"),
    "DEMO10_MO": Person("FAM10", "female", "false"),
    "DEMO11": Person("FAM11", "female", "true", "0.36", "1.80", "29"),
    "DEMO12": Person("FAM12", "male", "true", "0.30", "1.70", "25"),
    "DEMO13": Person("FAM13", "female", "true", "0.34", "1.77", "27"),
    "DEMO14": Person("FAM14", "male", "true", "0.29", "1.68", "23"),
}


def _allele_depths(rng: random.Random, alleles: tuple[int, int], n_alleles: int, depth: int) -> tuple[int, ...]:
    """Allele depths that fit the genotype: about half each for a het, nearly all for a homozygote."""
    counts = [0] * n_alleles
    first, second = alleles
    if first == second:
        counts[first] = depth
    else:
        share = round(depth * rng.uniform(0.38, 0.62))
        counts[first], counts[second] = depth - share, share
    return tuple(counts)


def _vcf_header(demo_file: DemoFile, sites: list[Site], build: Build, chrom_length: int) -> pysam.VariantHeader:
    header = pysam.VariantHeader()
    header.add_line(f"##reference={fasta_name(build)}")
    header.add_line(f"##source=trpm6_hsh.demo synthetic TRPM6 demo ({REFSEQ_TRANSCRIPT}); not human data")
    header.contigs.add(demo_file.contig, length=chrom_length)
    header.info.add("AF", "A", "Float", "Population allele frequency (synthetic demo value)")
    if any(site.sv_end for site in sites):
        header.info.add("SVTYPE", 1, "String", "Type of structural variant")
        header.info.add("SVLEN", ".", "Integer", "Difference in length between REF and ALT alleles")
        header.info.add("END", 1, "Integer", "End position of the variant described in this record")
    header.formats.add("GT", 1, "String", "Genotype")
    header.formats.add("DP", 1, "Integer", "Read depth")
    header.formats.add("GQ", 1, "Integer", "Genotype quality")
    header.formats.add("AD", "R", "Integer", "Allelic depths for the REF and ALT alleles")
    if any("|" in gt for calls in demo_file.genotypes.values() for gt in calls.values()):
        header.formats.add("PS", 1, "Integer", "Phase set (POS of the first variant of the set)")
    for sample in demo_file.samples:
        header.add_sample(sample)
    return header


def _write_vcf(path: Path, demo_file: DemoFile, sites_by_key: Mapping[str, Site], build: Build) -> None:
    rng = random.Random(f"{CALL_SEED}:{demo_file.name}")
    sites = sorted((sites_by_key[key] for key in demo_file.genotypes), key=lambda site: site.pos)
    header = _vcf_header(demo_file, sites, build, CHR9_LENGTHS[build])
    phase_sets = {
        sample: min(site.pos for site in sites if "|" in demo_file.genotypes[site.key].get(sample, ""))
        for sample in demo_file.samples
        if any("|" in calls.get(sample, "") for calls in demo_file.genotypes.values())
    }
    with pysam.VariantFile(str(path), demo_file.write_mode, header=header) as out:
        for site in sites:
            info: dict[str, object] = {}
            if any(af is not None for af in site.population_af):
                info["AF"] = site.population_af
            stop = site.pos - 1 + len(site.ref)
            if site.sv_end is not None:
                info.update(SVTYPE="DEL", SVLEN=(site.pos - site.sv_end,))
                stop = site.sv_end
            record = header.new_record(
                contig=demo_file.contig,
                start=site.pos - 1,
                stop=stop,
                alleles=(site.ref, *site.alts),
                filter="PASS",
                info=info,
            )
            for sample in demo_file.samples:
                call = record.samples[sample]
                if sample in demo_file.uncalled:
                    call["GT"] = (None, None)
                    continue
                genotype = demo_file.genotypes[site.key].get(sample, "0/0")
                alleles = tuple(int(allele) for allele in genotype.replace("|", "/").split("/"))
                depth = rng.randint(25, 60)
                call["GT"] = alleles
                call["DP"] = depth
                call["GQ"] = rng.randint(60, 99)
                call["AD"] = _allele_depths(rng, alleles, 1 + len(site.alts), depth)
                if "|" in genotype:
                    call.phased = True
                    call["PS"] = phase_sets[sample]
            out.write(record)
    if demo_file.index == "tbi":
        pysam.bcftools.index("--tbi", "--force", str(path))
    elif demo_file.index == "csi":
        pysam.bcftools.index("--csi", "--force", str(path))


# --- the reference FASTA -----------------------------------------------------------------------------


def _wrap(sequence: str) -> str:
    width = FASTA_LINE_WIDTH
    return "".join(sequence[i : i + width] + "\n" for i in range(0, len(sequence), width))


def _fasta_text_chunks(locus: Locus, contig_length: int) -> Iterator[str]:
    """The whole contig as wrapped FASTA lines, in chunks; all-N chunks reuse one prebuilt string."""
    chunk = FASTA_LINE_WIDTH * FASTA_CHUNK_LINES
    all_n = _wrap("N" * chunk)
    for first in range(1, contig_length + 1, chunk):
        last = min(contig_length, first + chunk - 1)
        if last < locus.start or first > locus.end:
            yield all_n if last - first + 1 == chunk else _wrap("N" * (last - first + 1))
            continue
        before = max(0, locus.start - first)
        after = max(0, last - locus.end)
        inside = locus.bases[max(first, locus.start) - locus.start : min(last, locus.end) - locus.start + 1]
        yield _wrap("N" * before + inside + "N" * after)


def write_fasta(path: Path, locus: Locus) -> None:
    """bgzipped FASTA of the synthetic chr9 (N outside the locus), with .fai and .gzi via pysam."""
    length = locus.model.chrom_length
    with bgzf.BgzfWriter(str(path), "wb") as out:
        out.write(f">{fasta_header(locus.model.build)}\n".encode("ascii"))
        for text in _fasta_text_chunks(locus, length):
            out.write(text.encode("ascii"))
    pysam.faidx(str(path))


# --- sample sheet, expected verdicts, README ---------------------------------------------------------


def _file_of_sample(structural: bool = False) -> dict[str, str]:
    return {
        sample: demo_file.name
        for demo_file in DEMO_FILES
        if demo_file.structural == structural
        for sample in demo_file.samples
    }


def _write_tsv(path: Path, header: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter="\t", lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


VARIANTS_TSV = "demo_variants.tsv"
VARIANT_COLUMNS = (
    "id",
    "chrom",
    "pos",
    "ref",
    "alt",
    "end",
    "transcript",
    "hgvs_c",
    "hgvs_p",
    "consequence",
    "population_af",
    "note",
)


def _format_af(af: float | None) -> str:
    return "" if af is None else f"{af:g}"


def write_variant_catalogue(path: Path, sites: Mapping[str, Site]) -> None:
    """The catalogue as a table (one row per ALT), so tests and annotator checks can read expectations."""
    rows = [
        (
            site.key,
            CHROMOSOME,
            str(site.pos),
            site.ref,
            allele.alt,
            str(site.sv_end or site.pos + len(site.ref) - 1),
            REFSEQ_TRANSCRIPT,
            allele.hgvs_c,
            allele.hgvs_p,
            allele.consequence,
            _format_af(allele.population_af),
            site.note,
        )
        for site in sites.values()
        for allele in site.alleles
    ]
    _write_tsv(path, VARIANT_COLUMNS, rows)


def write_sample_sheet(path: Path, out_dir: Path) -> None:
    """``samples.tsv`` whose VCF paths are ``out_dir``/file, relative if out_dir was given relative."""
    file_of, structural_of = _file_of_sample(), _file_of_sample(structural=True)
    rows = []
    for sample, person in PEOPLE.items():
        vcf = (Path(out_dir) / file_of[sample]).as_posix()
        sv_vcf = (Path(out_dir) / structural_of[sample]).as_posix() if sample in structural_of else ""
        rows.append(
            (
                sample,
                vcf,
                person.family_id,
                person.father,
                person.mother,
                person.sex,
                person.affected,
                (Path(out_dir) / ALIGNMENTS[sample].file_name).as_posix() if sample in ALIGNMENTS else "",
                sv_vcf,
                person.serum_mg,
                person.serum_ca,
                person.pth,
            )
        )
    _write_tsv(path, SAMPLE_SHEET_COLUMNS, rows)


def demo_readme(build: Build, sites: Mapping[str, Site]) -> str:
    """The demo folder's README: says loudly that nothing here is human, and what each sample shows."""
    site_rows = "\n".join(
        f"| {site.key} | {CHROMOSOME}:{site.pos} | {site.ref} | {allele.alt} | {allele.hgvs_c} | "
        f"{allele.hgvs_p} | {allele.consequence} | {_format_af(allele.population_af) or 'unknown'} | {site.note} |"
        for site in sites.values()
        for allele in site.alleles
    )
    file_of = _file_of_sample()
    sample_rows = "\n".join(
        f"| {sample} | `{file_of[sample]}` | {SAMPLE_STORIES[sample]} | `{verdict}` |"
        for sample, verdict in EXPECTED_VERDICTS.items()
    )
    return f"""# Synthetic TRPM6 demo ({build}) — NOT HUMAN DATA

Everything in this folder is synthetic. `{fasta_name(build)}` is a `chr9` of the real {build} length
({CHR9_LENGTHS[build]:,} bp) that is `N` everywhere except the TRPM6 gene +/- {FLANK_BP:,} bp,
which holds **random DNA** (seed {SEQUENCE_SEED}) laid out on the real exon structure of the TRPM6 MANE
Select transcript {REFSEQ_TRANSCRIPT} (minus strand): a valid 2,022-codon ORF (ATG ... TGA, no other stop in
frame), GT...AG at every intron, no ATG in the 5' UTR. It is not the human sequence; its only use is to
run the workflow and the tests offline. The samples are invented people with invented lab values.

The generator places the reference bases each variant needs (for example codon 100 = CAG so that c.298C>T
is a stop), so every variant has the intended effect on this reference. Genotypes carry DP 25-60,
GQ 60-99 and matching AD; INFO/AF is an invented population allele frequency.

## Variants (`{VARIANTS_TSV}`; positions on this build, REF/ALT as written in the VCFs)

| id | position | REF | ALT | HGVS c. ({REFSEQ_TRANSCRIPT}) | HGVS p. | consequence | INFO/AF | note |
|---|---|---|---|---|---|---|---|---|
{site_rows}

V11 is written at the rightmost position of its run on purpose (not left-aligned), so the workflow's
normalisation step is exercised; `bcftools norm -f {fasta_name(build)}` moves it left, to the form that
matches its HGVS 3' position c.1804del. V6 is one multiallelic record (two ALTs); the workflow splits it.
V10 is a symbolic `<DEL>` (INFO/SVTYPE, SVLEN, END). The splice variants and the deleted exon sit on
exons whose length is not a multiple of 3 (exon 11: 101 nt, exon 25: 133 nt), so skipping or losing the
exon shifts the frame and PVS1 keeps full strength; exons 12 (135 nt) and 20 (129 nt), first considered,
would be in-frame skips that the clinical rules downgrade.

## Samples and the verdict each one demonstrates (`expected_verdicts.tsv`)

| sample | file | what it shows | expected verdict |
|---|---|---|---|
{sample_rows}

## Alignments and copy number from read depth

`demo12.bam` and `demo14.bam` (sheet column `alignment`, each with its `.bai`) are simulated exome-like
alignments (seed {ALIGNMENT_SEED}): reads only over the padded TRPM6 exons and a thin off-target
background, about 60x on target, with per-exon capture efficiency, per-sample library size, GC bias and
extra-Poisson noise. Their reads carry the reference sequence only: they show depth, not the VCFs'
variants. `demo14.bam` has a heterozygous deletion of exons 4-5 planted in it; `demo12.bam` has two
copies of every exon. Two samples are too few to compare with each other, so `{PANEL_TSV}` (set as
`cnv.reference_counts` in `config/config.yaml`) holds the exon read counts of {PANEL_SIZE} simulated normal
samples of the same batch (same capture), counted like the workflow counts; their BAMs are not shipped.
A laboratory makes its own panel with `scripts/count_exon_reads.py` from its own normal samples.

`samples.tsv` is the sample sheet for these files (trio in family FAM03 with parents on the child's row).
`demo02.vcf.gz` deliberately has no index, `demo04.bcf` is BCF with a CSI index, `demo05_contig9.vcf.gz`
names the contig `9`, `cohort_batch.vcf` is plain, uncompressed, multi-sample text.

## Regenerate

Deterministic (fixed seeds, no clock): the same build always gives byte-identical files.

    python scripts/make_demo.py               # resources/demo/GRCh38 and the config copies
    trpm6-hsh demo --out DIR --build {build}  # any folder, either build
"""


SAMPLE_STORIES = {
    "DEMO01": "V1 stop_gained, homozygous",
    "DEMO02": "V2 frameshift 0\\|1 and V4 stop_gained 1\\|0 in one phase set: in trans (read-backed phase)",
    "DEMO03": "trio child: V3 splice donor from the father, V8 splice acceptor from the mother (unphased)",
    "DEMO03_FA": "father: V3 het; also V11 (frameshift, but common, AF 0.02, so not qualifying)",
    "DEMO03_MO": "mother: V8 het",
    "DEMO04": "V1 and V2 het, unphased (BCF input): recommend parental testing",
    "DEMO05": "V2 and V4 both 1\\|0 in one phase set: same haplotype; contig named `9`",
    "DEMO06": "V4 stop_gained het plus V5 missense VUS het",
    "DEMO07": "V6 synonymous (multiallelic record), V7 deep intronic hom, V9 stop_gained but common (AF 0.05)",
    "DEMO08": "V8 splice acceptor seen as 1/1 inside a heterozygous deletion of exon 25 (V10, `<DEL>`): the variant "
    "lies on the copy the deletion spares, so the two are in trans (phase source `deletion`; confirm the deletion)",
    "DEMO09": "no call (./.) on every record, DP/GQ missing",
    "DEMO10": "V4 stop_gained 1/1, but the mother (DEMO10_MO) is called 0/0 there: a deletion of her copy or "
    "uniparental disomy is suggested",
    "DEMO10_MO": "mother of DEMO10: 0/0 at V4",
    "DEMO11": "V5 missense of uncertain significance, homozygous: inconclusive, never negative",
    "DEMO12": "affected, one V2 frameshift het: one qualifying variant, the second not found; its alignment "
    "(`demo12.bam`, sheet column `alignment`) shows two copies of every exon, so an exon deletion or duplication is "
    "not the missing second variant (deep intronic variants and regions not assessed remain possible)",
    "DEMO13": "V1 stop_gained het in its VCF and the exon 25 deletion V10 het in its separate SV VCF "
    "(`demo13.sv.vcf.gz`, sheet column `sv_vcf`): two qualifying variants, phase unknown",
    "DEMO14": "V4 stop_gained het in its VCF; its alignment (`demo14.bam`) shows by read depth a heterozygous "
    "deletion of exons 4-5 (frameshifting) that no VCF calls: two qualifying variants, phase unknown; confirm "
    "the deletion (MLPA, array or long reads) and test the parents",
}


def write_demo(out_dir: Path, build: Build | str = Build.GRCH38, exon_table: Path | None = None) -> list[Path]:
    """Write the synthetic reference, the demo VCFs, demo_variants.tsv, samples.tsv, expected_verdicts.tsv
    and README.md into ``out_dir``; return the files written."""
    build = parse_build(build, "--build")
    model = read_exon_table(exon_table or shipped.exon_table())[build]
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    locus = design_locus(model)
    sites = catalogue(locus)
    fasta = out_dir / fasta_name(build)
    write_fasta(fasta, locus)
    written = [fasta, Path(f"{fasta}.fai"), Path(f"{fasta}.gzi")]
    for demo_file in DEMO_FILES:
        vcf = out_dir / demo_file.name
        _write_vcf(vcf, demo_file, sites, build)
        written += [vcf, *([Path(f"{vcf}.{demo_file.index}")] if demo_file.index else [])]
    written += write_alignments(out_dir, fasta, build)
    write_variant_catalogue(out_dir / VARIANTS_TSV, sites)
    write_sample_sheet(out_dir / "samples.tsv", out_dir)
    _write_tsv(out_dir / "expected_verdicts.tsv", ("sample_id", "verdict"), list(EXPECTED_VERDICTS.items()))
    (out_dir / "README.md").write_text(demo_readme(build, sites), encoding="utf-8", newline="\n")
    written += [out_dir / name for name in (VARIANTS_TSV, "samples.tsv", "expected_verdicts.tsv", "README.md")]
    return written
