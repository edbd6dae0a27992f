"""The embedded demo: a synthetic TRPM6 locus and a small cohort that shows every verdict.

No human reference can be shipped, so the demo reference is random DNA laid out on the real TRPM6 exon
structure (valid ORF, GT...AG introns) on a ``chr9`` of the real length, N everywhere else. Because the
generator writes the sequence, it also places the reference bases each catalogue variant needs (for
example codon 100 = CAG so that c.298C>T is p.(Gln100Ter)). Everything is seeded and free of clocks, so
the same build always gives byte-identical files; ``resources/demo/GRCh38`` is committed and a test
compares it with a fresh run.
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

from trpm6_hsh.errors import InputError
from trpm6_hsh.model_resources import (
    BUILDS,
    CHROMOSOME,
    CHROMOSOME_LENGTHS,
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
PROTEIN_LENGTH = 2022
COMPLEMENT = str.maketrans("ACGTN", "TGCAN")

EXON_TABLE = Path(__file__).resolve().parents[2] / "resources" / "trpm6_mane_select_exons.tsv"


def fasta_name(build: str) -> str:
    return f"synthetic_trpm6_locus.{build}.fa.gz"


def fasta_header(build: str) -> str:
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
SV_ANCHOR_BEFORE_EXON_20 = 800
"""V10's VCF POS (the base kept before the deletion) lies this far below exon 20, inside intron 20."""
SV_END_AFTER_EXON_20 = 1000
"""V10's END lies this far above exon 20, inside intron 19 (the gene is on the minus strand)."""
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

    codons = [START_CODON, *rng.choices(SENSE_CODONS, k=PROTEIN_LENGTH - 1), STOP_CODON]
    for number, codon in FIXED_CODONS.items():
        codons[number - 1] = codon
    cds = model.cds_positions()
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
class Site:
    """One demo VCF record on the + strand (1-based POS), with what it is meant to be."""

    key: str
    pos: int
    ref: str
    alts: tuple[str, ...]
    population_af: tuple[float | None, ...]
    meaning: str
    sv_end: int | None = None


def _snv(locus: Locus, key: str, c_position: int, offset: int, change: str, af: float, meaning: str) -> Site:
    ref_sense, alt_sense = change.split(">")
    strand = locus.model.strand
    pos = genomic_position(locus.model, c_position, offset)
    ref = locus.base(pos)
    if ref != _sense_to_plus(ref_sense, strand):
        raise AssertionError(f"design error: {key} expects {ref_sense} (sense) at {pos}, locus has {ref} (+)")
    return Site(key, pos, ref, (_sense_to_plus(alt_sense, strand),), (af,), meaning)


def _one_base_deletion(locus: Locus, key: str, deleted_pos: int, af: float | None, meaning: str) -> Site:
    """A 1-bp deletion written VCF-style: anchored on the base to the left of the deleted one."""
    anchor = deleted_pos - 1
    return Site(key, anchor, locus.base(anchor, 2), (locus.base(anchor),), (af,), meaning)


def catalogue(locus: Locus) -> dict[str, Site]:
    """The demo variants V1-V11, placed on this build's locus."""
    model = locus.model
    c = {n: genomic_position(model, n) for n in (1003, 1801, 1804)}
    run = range(min(c[1801], c[1804]), max(c[1801], c[1804]) + 1)
    exon_20 = model.exons[19]
    sv_start, sv_end = exon_20.span.start - SV_ANCHOR_BEFORE_EXON_20, exon_20.span.end + SV_END_AFTER_EXON_20
    sites = [
        _snv(locus, "V1", 298, 0, "C>T", 1.6e-05, "c.298C>T p.(Gln100Ter) stop_gained"),
        _one_base_deletion(locus, "V2", c[1003], 8e-06, "c.1003del p.(Trp335fs) frameshift_variant"),
        _snv(locus, "V3", 1443, 1, "G>A", 4e-06, "c.1443+1G>A splice_donor_variant"),
        _snv(locus, "V4", 4287, 0, "C>A", 1.2e-05, "c.4287C>A p.(Cys1429Ter) stop_gained"),
        _snv(locus, "V5", 2099, 0, "G>A", 0.00012, "c.2099G>A p.(Arg700His) missense_variant, VUS"),
        Site(
            "V6",
            genomic_position(model, 900),
            locus.base(genomic_position(model, 900)),
            (_sense_to_plus("A", model.strand), _sense_to_plus("T", model.strand)),
            (0.0021, None),
            "c.900G>A p.(Leu300=) synonymous_variant; second ALT c.900G>T p.(Leu300=) carried by nobody",
        ),
        _snv(locus, "V7", 1443, 300, "T>C", 0.31, "c.1443+300T>C intron_variant (deep intronic)"),
        _snv(locus, "V8", 2539, -1, "G>A", 4e-05, "c.2539-1G>A splice_acceptor_variant"),
        _snv(locus, "V9", 5023, 0, "C>T", 0.05, "c.5023C>T p.(Gln1675Ter) stop_gained in exon 30, common (AF 0.05)"),
        Site(
            "V10",
            sv_start,
            locus.base(sv_start),
            ("<DEL>",),
            (None,),
            f"c.{exon_20.c_start}-{SV_END_AFTER_EXON_20}_{exon_20.c_end}+{SV_ANCHOR_BEFORE_EXON_20 - 1}del: "
            "heterozygous deletion of the whole of exon 20 (intron 19 to intron 20)",
            sv_end=sv_end,
        ),
        _one_base_deletion(
            locus, "V11", run[-1], 0.02, "c.1804del frameshift in an A4 run, written right-shifted; AF 0.02"
        ),
    ]
    v6 = sites[5]
    if v6.ref != _sense_to_plus("G", model.strand):
        raise AssertionError("design error: V6 expects c.900 = G")
    bases = {locus.base(p) for p in run}
    flanks = {locus.base(run[0] - 1), locus.base(run[-1] + 1)}
    if len(run) != 4 or len(bases) != 1 or bases & flanks:
        raise AssertionError("design error: V11 needs a run of exactly four identical bases")
    return {site.key: site for site in sites}


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
    "DEMO08": "POSSIBLE_HEMIZYGOUS",
    "DEMO09": "NOT_ASSESSABLE",
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


def _vcf_header(demo_file: DemoFile, sites: list[Site], build: str, chrom_length: int) -> pysam.VariantHeader:
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


def _write_vcf(path: Path, demo_file: DemoFile, sites_by_key: Mapping[str, Site], build: str) -> None:
    rng = random.Random(f"{CALL_SEED}:{demo_file.name}")
    sites = sorted((sites_by_key[key] for key in demo_file.genotypes), key=lambda site: site.pos)
    header = _vcf_header(demo_file, sites, build, CHROMOSOME_LENGTHS[build][CHROMOSOME])
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


def _file_of_sample() -> dict[str, str]:
    return {sample: demo_file.name for demo_file in DEMO_FILES for sample in demo_file.samples}


def _write_tsv(path: Path, header: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter="\t", lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def write_sample_sheet(path: Path, out_dir: Path) -> None:
    """``samples.tsv`` whose VCF paths are ``out_dir``/file, relative if out_dir was given relative."""
    file_of = _file_of_sample()
    rows = []
    for sample, person in PEOPLE.items():
        vcf = (Path(out_dir) / file_of[sample]).as_posix()
        rows.append(
            (
                sample,
                vcf,
                person.family_id,
                person.father,
                person.mother,
                person.sex,
                person.affected,
                "",
                person.serum_mg,
                person.serum_ca,
                person.pth,
            )
        )
    _write_tsv(path, SAMPLE_SHEET_COLUMNS, rows)


def demo_readme(build: str, sites: Mapping[str, Site]) -> str:
    """The demo folder's README: says loudly that nothing here is human, and what each sample shows."""
    site_rows = "\n".join(
        f"| {site.key} | {CHROMOSOME}:{site.pos} | {site.ref} | {','.join(site.alts)} | {site.meaning} |"
        for site in sites.values()
    )
    file_of = _file_of_sample()
    sample_rows = "\n".join(
        f"| {sample} | `{file_of[sample]}` | {SAMPLE_STORIES[sample]} | `{verdict}` |"
        for sample, verdict in EXPECTED_VERDICTS.items()
    )
    return f"""# Synthetic TRPM6 demo ({build}) — NOT HUMAN DATA

Everything in this folder is synthetic. `{fasta_name(build)}` is a `chr9` of the real {build} length
({CHROMOSOME_LENGTHS[build][CHROMOSOME]:,} bp) that is `N` everywhere except the TRPM6 gene +/- {FLANK_BP:,} bp,
which holds **random DNA** (seed {SEQUENCE_SEED}) laid out on the real exon structure of the TRPM6 MANE
Select transcript {REFSEQ_TRANSCRIPT} (minus strand): a valid 2,022-codon ORF (ATG ... TGA, no other stop in
frame), GT...AG at every intron, no ATG in the 5' UTR. It is not the human sequence; its only use is to
run the workflow and the tests offline. The samples are invented people with invented lab values.

The generator places the reference bases each variant needs (for example codon 100 = CAG so that c.298C>T
is a stop), so every variant has the intended effect on this reference. Genotypes carry DP 25-60,
GQ 60-99 and matching AD; INFO/AF is an invented population allele frequency.

## Variants (positions on this build; REF/ALT as written in the VCFs)

| id | position | REF | ALT | on {REFSEQ_TRANSCRIPT} |
|---|---|---|---|---|
{site_rows}

V11 is written at the rightmost position of its run on purpose (not left-aligned), so the workflow's
normalisation step is exercised; `bcftools norm -f {fasta_name(build)}` moves it to the left.
V6 is one multiallelic record (two ALTs); the workflow splits it.

## Samples and the verdict each one demonstrates (`expected_verdicts.tsv`)

| sample | file | what it shows | expected verdict |
|---|---|---|---|
{sample_rows}

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
    "DEMO08": "V8 splice acceptor 1/1 over a heterozygous exon-20 deletion V10 (<DEL>)",
    "DEMO09": "no call (./.) on every record, DP/GQ missing",
}


def _default_exon_table() -> Path:
    if not EXON_TABLE.is_file():
        raise InputError(
            EXON_TABLE,
            "the TRPM6 exon table is not there (the demo needs the repository's resources/ folder)",
            "run from a source checkout installed with `pip install -e .`",
        )
    return EXON_TABLE


def write_demo(out_dir: Path, build: str = "GRCh38", exon_table: Path | None = None) -> list[Path]:
    """Write the synthetic reference, the demo VCFs, samples.tsv, expected_verdicts.tsv and README.md."""
    if build not in BUILDS:
        raise InputError("--build", f"unknown build {build!r}", f"use one of {', '.join(BUILDS)}")
    model = read_exon_table(exon_table or _default_exon_table())[build]
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    locus = design_locus(model)
    sites = catalogue(locus)
    write_fasta(out_dir / fasta_name(build), locus)
    for demo_file in DEMO_FILES:
        _write_vcf(out_dir / demo_file.name, demo_file, sites, build)
    write_sample_sheet(out_dir / "samples.tsv", out_dir)
    _write_tsv(out_dir / "expected_verdicts.tsv", ("sample_id", "verdict"), list(EXPECTED_VERDICTS.items()))
    (out_dir / "README.md").write_text(demo_readme(build, sites), encoding="utf-8", newline="\n")
    return sorted(path for path in out_dir.iterdir() if path.is_file())
