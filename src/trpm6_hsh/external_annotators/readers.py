"""Read what an annotator wrote: VEP ``CSQ``, SnpEff ``ANN``/``LOF``/``NMD``, bcftools ``BCSQ``, or a TSV.

Every reader yields :class:`ToolCall` objects: one tool statement about one ALT allele on one transcript,
still in the tool's own words. :mod:`trpm6_hsh.external_annotators.normalise` turns them into the consequence table.
"""

from __future__ import annotations

import gzip
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pysam

from trpm6_hsh.errors import InputError
from trpm6_hsh.files import is_plain_gzip
from trpm6_hsh.tsv import read_table

# VEP fields carried into ``plugin_fields`` (and the report's flags) when the output has them.
PLUGIN_PREFIXES = ("LoF", "SpliceAI", "CADD", "REVEL", "AlphaMissense", "MaxEntScan", "NMD", "LOEUF", "pLI")


@dataclass(frozen=True)
class ToolCall:
    """One annotator statement: this ALT on this transcript has these consequences."""

    chrom: str
    pos: int
    ref: str
    alt: str
    transcript: str  # as the tool wrote it (prefix/version still on); "" = whole gene or none
    gene: str
    words: tuple[str, ...]  # consequence words as written
    hgvs_c: str = ""
    hgvs_p: str = ""
    tool_lof: str = ""
    plugin_fields: tuple[tuple[str, str], ...] = ()
    flags: tuple[str, ...] = ()
    mane_hint: bool = False

    @property
    def key(self) -> tuple[str, int, str, str]:
        return (self.chrom, self.pos, self.ref, self.alt)


@dataclass(frozen=True)
class ToolOutput:
    """All calls of one annotated file, and the annotator version its header names."""

    kind: str  # "vep_csq", "snpeff_ann", "bcftools_bcsq", "tsv"
    calls: tuple[ToolCall, ...]
    version: str = ""


def header_format(description: str) -> list[str]:
    """Field names from a ``... Format: A|B|C`` (VEP, bcftools) or ``'A | B | C'`` (SnpEff) description."""
    text = description.split("Format:", 1)[1] if "Format:" in description else description
    text = text.split(":", 1)[1] if "Functional annotations" in text and ":" in text else text
    return [name.strip(" '\"") for name in text.strip().strip("'\"").split("|")]


def vep_allele(ref: str, alts: tuple[str, ...], alt: str) -> str:
    """The allele string VEP writes into CSQ for ``alt`` (shared first base removed; ``-`` if empty)."""
    alleles = (ref, *alts)
    if all(not a.startswith("<") for a in alleles) and len({a[:1] for a in alleles}) == 1 and \
            any(len(a) != len(ref) for a in alts):
        trimmed = alt[1:]
        return trimmed or "-"
    return alt


def _split_info(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return [str(item) for item in value]


def _open(path: Path) -> pysam.VariantFile:
    if not Path(path).is_file():
        raise InputError(path, "the annotated VCF does not exist", "rerun the annotator rule")
    try:
        if is_plain_gzip(Path(path)):
            with gzip.open(path, "rb") as source, tempfile.NamedTemporaryFile(suffix=".vcf", delete=False) as copy:
                shutil.copyfileobj(source, copy)
            try:
                return pysam.VariantFile(copy.name)
            finally:
                os.unlink(copy.name)  # the open handle keeps the data readable
        return pysam.VariantFile(str(path))
    except (OSError, ValueError) as error:
        raise InputError(path, f"cannot read the annotated VCF ({error})",
                         "check the annotator's log; the output must be a valid VCF") from None


def detect_format(path: Path) -> str:
    """Which consequence field the VCF carries: CSQ, ANN or BCSQ (first found, in that order)."""
    with _open(path) as vcf:
        declared = set(vcf.header.info)
    for name, kind in (("CSQ", "vep_csq"), ("ANN", "snpeff_ann"), ("BCSQ", "bcftools_bcsq")):
        if name in declared:
            return kind
    raise InputError(path, "no CSQ, ANN or BCSQ INFO field in the header",
                     "write consequences as VEP-style CSQ (Format: Allele|Consequence|Feature|HGVSc|HGVSp), "
                     "SnpEff-style ANN or bcftools-style BCSQ, or output the consequence TSV instead")


def read_tool_output(path: Path, output_format: str = "vcf") -> ToolOutput:
    """Read any supported annotator output (``output_format``: ``vcf`` or ``tsv``)."""
    path = Path(path)
    if output_format == "tsv":
        return read_consequence_tsv(path)
    kind = detect_format(path)
    return {"vep_csq": read_vep, "snpeff_ann": read_snpeff, "bcftools_bcsq": read_bcsq}[kind](path)


# --------------------------------------------------------------------------- VEP (and CSQ-style custom tools)
STATED_VERSION_KEY = "annotator_version"
"""Header line (``##annotator_version=...``) or TSV column in which a custom annotator states its version."""


def _version_line(vcf: pysam.VariantFile, key: str) -> str:
    """The version a header states: the generic line a custom tool writes first, else the tool's own."""
    for wanted in (STATED_VERSION_KEY, key):
        for record in vcf.header.records:
            if record.key == wanted:
                return str(record.value).strip('"').split('"')[0].strip()
    return ""


def read_vep(path: Path) -> ToolOutput:
    """CSQ in any field order: names come from the header's ``Format:`` list."""
    calls = []
    with _open(path) as vcf:
        names = header_format(vcf.header.info["CSQ"].description)
        index = {name: i for i, name in enumerate(names)}
        if "Consequence" not in index:
            raise InputError(path, "the CSQ header lists no Consequence field",
                             "keep Consequence in the CSQ format (VEP always writes it)")
        plugin_names = [n for n in names if n.startswith(PLUGIN_PREFIXES)]
        version = _version_line(vcf, "VEP")
        for record in vcf:
            alts = tuple(record.alts or ())
            by_allele = {vep_allele(record.ref, alts, alt): alt for alt in alts}
            for entry in _split_info(record.info.get("CSQ")):
                values = entry.split("|")

                def get(name: str, values=values) -> str:
                    i = index.get(name)
                    return values[i] if i is not None and i < len(values) else ""

                allele = get("Allele")
                alt = by_allele.get(allele) or (alts[0] if len(alts) == 1 else None)
                if alt is None:
                    continue
                feature_type = get("Feature_type")
                if feature_type and feature_type != "Transcript":
                    continue
                plugins = tuple((n, get(n)) for n in plugin_names if get(n) not in ("", "."))
                calls.append(ToolCall(
                    record.chrom, record.pos, record.ref, alt, get("Feature"), get("SYMBOL"),
                    tuple(get("Consequence").split("&")), get("HGVSc"), get("HGVSp"),
                    tool_lof=_loftee_summary(dict(plugins)), plugin_fields=plugins,
                    mane_hint=bool(get("MANE_SELECT") or get("MANE")),
                ))
    return ToolOutput("vep_csq", tuple(calls), version)


def _loftee_summary(plugins: dict[str, str]) -> str:
    if "LoF" not in plugins:
        return ""
    parts = [f"LOFTEE {plugins['LoF']}"]
    if plugins.get("LoF_filter"):
        parts.append(f"filter {plugins['LoF_filter']}")
    if plugins.get("LoF_flags"):
        parts.append(f"flags {plugins['LoF_flags']}")
    return "; ".join(parts)


# --------------------------------------------------------------------------- SnpEff
_GENE_EFFECT = re.compile(r"\(?([^|()]*)\|([^|]*)\|(\d+)\|([\d.]+)\)?")


def _gene_effects(values: list[str]) -> dict[str, str]:
    found = {}
    for value in values:
        match = _GENE_EFFECT.fullmatch(value.strip())
        if match:
            found[match.group(1)] = f"{match.group(4)} of {match.group(3)} transcripts"
    return found


def read_snpeff(path: Path) -> ToolOutput:
    """ANN (fields named in the header) plus the gene-level LOF and NMD tags."""
    calls = []
    with _open(path) as vcf:
        names = header_format(vcf.header.info["ANN"].description)
        index = {name: i for i, name in enumerate(names)}
        declared = set(vcf.header.info)
        version = _version_line(vcf, "SnpEffVersion")
        for record in vcf:
            alts = tuple(record.alts or ())
            lof = _gene_effects(_split_info(record.info.get("LOF"))) if "LOF" in declared else {}
            nmd = _gene_effects(_split_info(record.info.get("NMD"))) if "NMD" in declared else {}
            for entry in _split_info(record.info.get("ANN")):
                values = [v.strip() for v in entry.split("|")]

                def get(name: str, values=values) -> str:
                    i = index.get(name)
                    return values[i] if i is not None and i < len(values) else ""

                allele = get("Allele")
                alt = allele if allele in alts else (alts[0] if len(alts) == 1 else None)
                if alt is None:
                    continue  # compound (haplotype) entries name several alleles; SnpEff's own extra
                if get("Feature_Type") not in ("transcript", ""):
                    continue
                gene = get("Gene_Name")
                tool_lof = "; ".join(
                    f"SnpEff {tag} {table[gene]}" for tag, table in (("LOF", lof), ("NMD", nmd)) if gene in table
                )
                messages = tuple(f"SNPEFF:{m}" for m in get("ERRORS / WARNINGS / INFO").split("&") if m)
                feature = get("Feature_ID") if get("Feature_Type") == "transcript" else ""
                calls.append(ToolCall(
                    record.chrom, record.pos, record.ref, alt, feature, gene,
                    tuple(get("Annotation").split("&")), get("HGVS.c"), get("HGVS.p"),
                    tool_lof=tool_lof, flags=messages,
                ))
    return ToolOutput("snpeff_ann", tuple(calls), version)


# --------------------------------------------------------------------------- bcftools csq
@dataclass(frozen=True)
class BcsqEntry:
    consequence: str
    gene: str
    transcript: str
    dna_change: str
    downstream_of_stop: bool


def _bcsq_entry(text: str, names: dict[str, int]) -> BcsqEntry:
    values = text.split("|")

    def get(name: str) -> str:
        i = names.get(name)
        return values[i] if i is not None and i < len(values) else ""

    consequence = get("Consequence")
    downstream = consequence.startswith("*")
    return BcsqEntry(consequence.lstrip("*"), get("gene"), get("transcript"), get("dna_change"), downstream)


def haplotype_bits(mask: int, entries: int) -> list[tuple[bool, bool]]:
    """Decode FORMAT/BCSQ: bit 2i is entry i on the first haplotype, bit 2i+1 on the second."""
    return [(bool(mask >> (2 * i) & 1), bool(mask >> (2 * i + 1) & 1)) for i in range(entries)]


def read_bcsq(path: Path) -> ToolOutput:
    """BCSQ with its ``@POS`` links resolved and the per-haplotype FORMAT bitmask decoded.

    A record whose consequence was computed together with another one on the same haplotype (two changes
    in one codon) carries ``@POS`` pointing at the record holding the joint consequence; that joint
    consequence is what this record gets. Which sample haplotype carries which consequence is kept in
    ``plugin_fields`` (``BCSQ_haplotypes``); an allele with different consequences on different haplotypes
    is flagged ``HAPLOTYPE_DEPENDENT_CONSEQUENCE``.
    """
    with _open(path) as vcf:
        names = {n: i for i, n in enumerate(header_format(vcf.header.info["BCSQ"].description))}
        has_mask = "BCSQ" in vcf.header.formats
        samples = list(vcf.header.samples)
        version = _version_line(vcf, "bcftools/csqVersion")
        records = []
        for record in vcf:
            entries = [_bcsq_entry(e, names) for e in _split_info(record.info.get("BCSQ"))]
            carried: list[list[str]] = [[] for _ in entries]
            if has_mask:
                for sample in samples:
                    value = record.samples[sample].get("BCSQ")
                    masks = value if isinstance(value, tuple) else (value,)
                    for word, mask in enumerate(masks):
                        if mask is None:
                            continue
                        offset = word * 15  # each 32-bit word holds 15 entries (30 bits) before the next
                        bits = haplotype_bits(int(mask), max(0, min(15, len(entries) - offset)))
                        for i, (first, second) in enumerate(bits):
                            haps = "+".join(h for h, on in (("1", first), ("2", second)) if on)
                            if haps:
                                carried[offset + i].append(f"{sample}:{haps}")
            records.append((record.chrom, record.pos, record.ref, tuple(record.alts or ()), entries, carried))
    by_pos: dict[tuple[str, int], list[BcsqEntry]] = {}
    for chrom, pos, _ref, _alts, entries, _carried in records:
        by_pos.setdefault((chrom, pos), []).extend(entries)
    calls = []
    for chrom, pos, ref, alts, entries, carried in records:
        alt = alts[0] if alts else ""
        resolved: list[tuple[BcsqEntry, list[str], str]] = []
        for entry, carriers in zip(entries, carried, strict=True):
            if entry.consequence.startswith("@"):
                target = int(entry.consequence[1:])
                mine = f"{pos}{ref}>{alt}"
                for joint in by_pos.get((chrom, target), []):
                    if mine in joint.dna_change.split("+"):
                        resolved.append((joint, carriers, f"JOINT_WITH:{joint.dna_change}"))
                continue
            note = f"JOINT_WITH:{entry.dna_change}" if "+" in entry.dna_change else ""
            resolved.append((entry, carriers, note))
        haplotype_dependent = _differs_between_haplotypes(resolved)
        for entry, carriers, note in resolved:
            flags = [note] if note else []
            if entry.downstream_of_stop:
                flags.append("BCSQ_DOWNSTREAM_OF_STOP")
            if haplotype_dependent:
                flags.append("HAPLOTYPE_DEPENDENT_CONSEQUENCE")
            plugins = (("BCSQ_haplotypes", ",".join(carriers)),) if carriers else ()
            calls.append(ToolCall(chrom, pos, ref, alt, entry.transcript, entry.gene,
                                  tuple(entry.consequence.split("&")), plugin_fields=plugins, flags=tuple(flags)))
    return ToolOutput("bcftools_bcsq", tuple(calls), version)


def _differs_between_haplotypes(resolved: list[tuple[BcsqEntry, list[str], str]]) -> bool:
    """True when two carrying haplotypes see different consequences of this allele on one transcript."""
    seen: dict[str, dict[str, set[str]]] = {}
    for entry, carriers, _note in resolved:
        for carrier in carriers:
            sample, haps = carrier.rsplit(":", 1)
            for hap in haps.split("+"):
                by_transcript = seen.setdefault(f"{sample}:{hap}", {})
                by_transcript.setdefault(entry.transcript, set()).add(entry.consequence)
    views = {tuple(sorted((t, tuple(sorted(c))) for t, c in v.items())) for v in seen.values()}
    return len(views) > 1


# --------------------------------------------------------------------------- TSV (custom tools)
TSV_REQUIRED = ("chrom", "pos", "ref", "alt", "transcript", "consequence")


def read_consequence_tsv(path: Path) -> ToolOutput:
    """A table with at least the contract's columns; hgvs_c/hgvs_p/gene/lof/annotator_version are optional."""
    calls = []
    version = ""
    for number, row in enumerate(read_table(path, TSV_REQUIRED), start=2):
        try:
            pos = int(row["pos"])
        except ValueError:
            raise InputError(path, f"pos {row['pos']!r} is not a number", "write 1-based positions",
                             f"line {number}") from None
        version = version or row.get(STATED_VERSION_KEY, "").strip()
        own_lof = ";".join(f"{k}={row[k]}" for k in ("lof", "lof_confidence", "lof_reason") if row.get(k))
        calls.append(ToolCall(
            row["chrom"], pos, row["ref"], row["alt"], row["transcript"], row.get("gene", ""),
            tuple(row["consequence"].split("&")), row.get("hgvs_c", ""), row.get("hgvs_p", ""),
            tool_lof=own_lof, mane_hint=row.get("is_mane") == "true",
        ))
    return ToolOutput("tsv", tuple(calls), version)

