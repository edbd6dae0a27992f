"""Run the annotators the workflow drives from Python: bcftools csq (in pysam), a custom command, and the
preparation VEP's ``--gff`` mode needs. SnpEff and VEP themselves run as shell commands in their rules.
"""

from __future__ import annotations

import logging
import shlex
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

import pysam

from trpm6_hsh.errors import InputError, Trpm6Error
from trpm6_hsh.files import atomic_path

log = logging.getLogger(__name__)

BCFTOOLS_PHASE_MODES = ("auto", "local", "a", "m", "r", "R", "s")


class AnnotatorFailed(Trpm6Error):
    """An external annotator exited with an error."""


def all_genotypes_phased(vcf: Path) -> bool:
    """True when every heterozygous call is phased, and each sample's phased calls share one phase set.

    bcftools csq ignores FORMAT/PS: calls from two phase blocks would be put on haplotypes as if one block
    were phased against the other. Homozygous calls need no phase.
    """
    phase_sets: dict[str, set] = {}
    with pysam.VariantFile(str(vcf)) as reader:
        has_ps = "PS" in reader.header.formats
        for record in reader:
            for name, sample in record.samples.items():
                alleles = [a for a in (sample.get("GT") or ()) if a is not None]
                if len(set(alleles)) < 2:
                    continue
                if not sample.phased:
                    return False
                phase_sets.setdefault(name, set()).add(sample.get("PS") if has_ps else None)
    return all(len(sets) == 1 for sets in phase_sets.values())


def bcftools_csq_arguments(fasta: Path, gff: Path, vcf: Path, out: Path, phase: str) -> list[str]:
    """``bcftools csq`` arguments. ``auto``: haplotype-aware (``-p a``) when all hets are phased in one phase
    set per sample, else record by record (``-l``), so variants are never combined as if in cis unless they are."""
    if phase not in BCFTOOLS_PHASE_MODES:
        raise InputError("the workflow config", f"bcftools_csq.phase {phase!r} is not known",
                         f"use one of {', '.join(BCFTOOLS_PHASE_MODES)}")
    if phase == "auto":
        phase = "a" if all_genotypes_phased(vcf) else "local"
    mode = ["-l"] if phase == "local" else ["-p", phase]
    return ["-f", str(fasta), "-g", str(gff), *mode, "-O", "v", "-o", str(out), str(vcf)]


def run_bcftools_csq(fasta: Path, gff: Path, vcf: Path, out: Path, phase: str = "auto") -> None:
    """bcftools csq as shipped in pysam, in a child process (csq keeps state between in-process calls)."""
    with atomic_path(Path(out)) as temporary:
        arguments = bcftools_csq_arguments(Path(fasta), Path(gff), Path(vcf), temporary, phase)
        log.info("bcftools csq %s", " ".join(shlex.quote(a) for a in arguments))
        code = "import sys, pysam.bcftools; pysam.bcftools.csq(*sys.argv[1:], catch_stdout=False)"
        result = subprocess.run([sys.executable, "-c", code, *arguments], capture_output=True, text=True)
        if result.stderr:
            log.info("%s", result.stderr.strip()[-4000:])
        if result.returncode != 0:
            last = (result.stderr.strip().splitlines() or ["no message"])[-1]
            raise AnnotatorFailed(f"bcftools csq failed on {vcf}: {last}. Fix: check that the transcript model "
                                  "is a GFF3 bcftools csq reads (Ensembl style) and matches the reference")


def fill_command(template: str, values: Mapping[str, Path | str]) -> str:
    """The custom command with ``{vcf}``, ``{fasta}``, ``{model}``, ``{out}``, ``{build}`` filled in (quoted)."""
    try:
        return template.format(**{k: shlex.quote(str(v)) for k, v in values.items()})
    except (KeyError, IndexError, ValueError) as error:
        raise InputError("the workflow config", f"custom_annotator.command has an unknown placeholder ({error})",
                         "use only {vcf}, {fasta}, {model}, {out} and {build}; double other braces") from None


def run_custom_annotator(command: str, vcf: Path, fasta: Path, model: Path, build: str, out: Path) -> None:
    """Run the lab's command; it must write ``{out}`` (a VCF with CSQ/ANN/BCSQ, or the consequence TSV)."""
    if not command.strip():
        raise InputError("the workflow config", "annotator is custom but custom_annotator.command is empty",
                         "set custom_annotator.command (see docs/annotators.md)")
    with atomic_path(Path(out)) as temporary:
        temporary.unlink()
        filled = fill_command(command, {"vcf": vcf, "fasta": fasta, "model": model, "out": temporary,
                                        "build": build})
        log.info("custom annotator: %s", filled)
        result = subprocess.run(filled, shell=True, capture_output=True, text=True)
        for stream in (result.stdout, result.stderr):
            if stream.strip():
                log.info("%s", stream.strip()[-4000:])
        if result.returncode != 0:
            raise AnnotatorFailed(f"the custom annotator exited with {result.returncode} on {vcf}. Fix: run the "
                                  f"command by hand to see why: {filled}")
        if not temporary.is_file() or temporary.stat().st_size == 0:
            raise AnnotatorFailed(f"the custom annotator wrote nothing to {{out}} for {vcf}. Fix: make the command "
                                  "write its result to the path given as {out}")


def prepare_vep_model(model: Path, out: Path) -> None:
    """Sorted, bgzipped and tabix-indexed copy of the model, as ``vep --gff``/``--gtf`` requires."""
    model = Path(model)
    opener = pysam.BGZFile if model.suffix == ".gz" else open
    with opener(str(model), "rb") as handle:
        lines = handle.read().decode("utf-8").splitlines()
    header = [line for line in lines if line.startswith("#") and not line.startswith("###")]
    features = [line for line in lines if line.strip() and not line.startswith("#")]

    def order(line: str) -> tuple[str, int, int]:
        fields = line.split("\t")
        return (fields[0], int(fields[3]), int(fields[4]))

    features.sort(key=order)
    out = Path(out)
    with atomic_path(out.with_suffix("")) as plain:
        plain.write_text("\n".join([*header, *features]) + "\n", encoding="utf-8")
        with atomic_path(out) as compressed:
            pysam.tabix_compress(str(plain), str(compressed), force=True)
            pysam.tabix_index(str(compressed), preset="gff", force=True, keep_original=True)
            Path(str(compressed) + ".tbi").replace(str(out) + ".tbi")
    out.with_suffix("").unlink(missing_ok=True)
