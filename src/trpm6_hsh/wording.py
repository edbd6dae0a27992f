"""Every sentence the counselor reads, in one place so that wording is reviewed as a whole.

The inheritance stage writes a verdict's sentence into verdict.json and the report stage the rest; both
take their words from here. The per-verdict texts form one section per verdict (:data:`VERDICT_WORDING`):
the verdict sentence, headline, what the result means, and what typically follows. The lab-value readings,
the clinical correlation, the phase sources, the limitations and the sources of the thresholds follow.
The code that picks a text lives elsewhere (``inheritance.verdict``, ``report.labs``, ``report.document``);
only the words are here.

The module is over 500 lines because every counselor-facing sentence is kept here, reviewed as a whole.
"""

from __future__ import annotations

from dataclasses import dataclass

from trpm6_hsh.model import Verdict

# ----------------------------------------------------------------------------- shared by several verdicts

MANAGEMENT = (
    "in HSH, management usually starts with magnesium repletion (often intravenous at first, then "
    "lifelong high-dose oral magnesium); calcium and vitamin D alone are often ineffective because the "
    "hypocalcemia follows from the magnesium deficiency. Treatment decisions rest with the treating clinician."
)
MANAGEMENT_NOTE = "For the clinician: " + MANAGEMENT
CASCADE_TESTING = (
    "Cascade testing: siblings of the patient can be offered testing for the familial variant(s); "
    "each further child of two carrier parents has a 25% chance of being affected, 50% of being a "
    "carrier."
)


@dataclass(frozen=True)
class VerdictWording:
    """What is said for one verdict: its one-sentence summary, headline, meaning, and what typically follows."""

    sentence: str
    headline: str
    what_it_means: str
    recommendations: tuple[str, ...]


DELETION_CONFIRMATION = (
    "confirm the deletion by an orthogonal method (MLPA, array or long reads) and test the parents: the "
    "result rests on the deletion call"
)
DELETION_CONFIRMATION_RECOMMENDATION = (
    "The result rests on a called deletion of the other copy: confirm the deletion by an orthogonal method "
    "(MLPA, array or long-read sequencing) and test the parents before the result is used."
)
PLAIN_VCF_REASON = "plain VCF: it lists variants only, so whether this region was covered is unknown"
PM3_PHENOTYPE_CAVEAT = " (PM3 applies only if the patient's phenotype fits HSH)"

# ----------------------------------------------------------------------------- one section per verdict

VERDICT_WORDING = {
    Verdict.HOMOZYGOUS: VerdictWording(
        sentence=(
        "Homozygous qualifying variant in TRPM6: biallelic loss of function, consistent with "
        "hypomagnesemia with secondary hypocalcemia (HSH)."
        ),
        headline="Positive: biallelic TRPM6 variants, consistent with HSH",
        what_it_means=(
            "HSH is autosomal recessive: disease needs both copies of TRPM6 to be affected. The same qualifying "
            "variant was found on both copies, which explains the disease if the clinical picture fits. Parental "
            "testing confirms that each parent carries it and rules out a deletion on the other copy."
        ),
        recommendations=(
            "Test both parents to confirm that each carries the variant (this excludes a deletion of "
            "the other copy and uniparental disomy).",
            CASCADE_TESTING,
            MANAGEMENT_NOTE,
        ),
    ),
    Verdict.COMPOUND_HET_TRANS: VerdictWording(
        sentence=(
        "Two qualifying TRPM6 variants on different copies of the gene (in trans): biallelic loss of "
        "function, consistent with HSH."
        ),
        headline="Positive: biallelic TRPM6 variants, consistent with HSH",
        what_it_means=(
            "HSH is autosomal recessive: disease needs both copies of TRPM6 to be affected. Two different qualifying "
            "variants were found, and they lie on different copies (in trans), so neither copy is intact."
        ),
        recommendations=(CASCADE_TESTING, MANAGEMENT_NOTE),
    ),
    Verdict.COMPOUND_HET_PHASE_UNKNOWN: VerdictWording(
        sentence=(
        "Two qualifying TRPM6 variants, but it is not known whether they lie on different copies of the "
        "gene. Testing both parents is recommended to confirm a biallelic (compound heterozygous) result."
        ),
        headline="Likely positive, phase to be confirmed: two TRPM6 variants",
        what_it_means=(
            "Two qualifying variants were found, but it is not known whether they lie on different copies (which "
            "would explain the disease) or on the same copy (which would not). Until the phase is known the result "
            "is not a confirmed diagnosis."
        ),
        recommendations=(
            "Test both parents (segregation) to establish whether the two variants are in trans; only "
            "then is the result biallelic.",
            CASCADE_TESTING,
            "For the clinician, if the variants are confirmed in trans: " + MANAGEMENT,
        ),
    ),
    Verdict.CIS_NOT_BIALLELIC: VerdictWording(
        sentence=(
        "Two qualifying TRPM6 variants on the same copy of the gene (in cis): the other copy carries no "
        "detected qualifying variant, so this is not a biallelic result."
        ),
        headline="Not biallelic: two TRPM6 variants on the same copy of the gene",
        what_it_means=(
            "Both qualifying variants lie on the same copy of TRPM6; the other copy has no qualifying variant in the "
            "regions assessed, so this does not by itself explain an autosomal-recessive disease."
        ),
        recommendations=(
            "The second copy of TRPM6 has no detected qualifying variant: if the clinical picture "
            "strongly suggests HSH, consider copy-number analysis of TRPM6 and review of the regions "
            "not assessed.",
            "Carrier testing can be offered to relatives.",
        ),
    ),
    Verdict.QUALIFYING_PLUS_VUS: VerdictWording(
        sentence=(
        "One qualifying TRPM6 variant and one variant of uncertain significance. The uncertain variant "
        "cannot establish a diagnosis; the result is inconclusive for HSH."
        ),
        headline="Inconclusive: one qualifying TRPM6 variant and one of uncertain significance",
        what_it_means=(
            "One variant qualifies; the other is of uncertain significance and cannot be used to confirm the "
            "diagnosis. The result may change if new evidence reclassifies it."
        ),
        recommendations=(
            "Test both parents to establish the phase of the two variants.",
            "The variant of uncertain significance should be re-evaluated as evidence accrues; it must "
            "not be used for predictive testing of relatives.",
        ),
    ),
    Verdict.CARRIER: VerdictWording(
        sentence=(
        "One heterozygous qualifying TRPM6 variant: carrier. No second qualifying variant was found in "
        "what was assessed."
        ),
        headline="Carrier: one qualifying TRPM6 variant",
        what_it_means=(
            "One qualifying variant was found on one copy. Carriers of one TRPM6 variant are not expected to have "
            "HSH; a second variant in the other copy was not found in the regions assessed."
        ),
        recommendations=(
            "A second variant may have been missed (copy-number change, deep intronic, or regions not "
            "assessed): if HSH is strongly suspected, consider copy-number analysis of TRPM6.",
            "Partners of carriers can be offered carrier testing: if both partners carry a TRPM6 variant, each "
            "child has a 25% chance of being affected.",
        ),
    ),
    Verdict.POSSIBLE_HEMIZYGOUS: VerdictWording(
        sentence=(
        "Apparently homozygous qualifying TRPM6 variant, but a deletion of the other copy cannot be "
        "excluded or is indicated. Confirm by parental testing and copy-number analysis."
        ),
        headline="Inconclusive: apparently homozygous TRPM6 variant over a possible deletion",
        what_it_means=(
            "The variant looks homozygous, but a deletion of the other copy may be present, in which case the patient "
            "is hemizygous. Either way both copies may be affected, but the two situations differ for the family."
        ),
        recommendations=(
            "Test both parents and perform copy-number analysis of TRPM6 (e.g. MLPA or array) to "
            "establish whether the other copy is deleted.",
            MANAGEMENT_NOTE,
        ),
    ),
    Verdict.BIALLELIC_VUS: VerdictWording(
        sentence=(
            "Variants of uncertain significance on both copies of TRPM6 (homozygous, or two in trans or of "
            "unknown phase), none qualifying: inconclusive for HSH, not negative."
        ),
        headline="Inconclusive: variants of uncertain significance on both copies of TRPM6",
        what_it_means=(
            "Both copies of TRPM6 carry a variant whose effect is not known. If the variants damage the protein, "
            "they would explain HSH; the evidence does not yet show that they do. This result neither confirms nor "
            "rules out HSH and must not be read as negative."
        ),
        recommendations=(
            "Test both parents: each should carry one of the variants (segregation), which supports the "
            "biallelic reading and, for two different variants, shows whether they are in trans.",
            "Functional or RNA studies of the variants, and review of published cases and ClinVar, may "
            "reclassify them; request reanalysis when new evidence appears.",
            "The variants of uncertain significance must not be used for predictive or prenatal testing of "
            "relatives until they are reclassified.",
        ),
    ),
    Verdict.NEGATIVE: VerdictWording(
        sentence=(
        "No qualifying TRPM6 variant was found in what was assessed. This does not exclude HSH: see "
        "the regions that were not assessed."
        ),
        headline="Negative: no qualifying TRPM6 variant in the regions assessed",
        what_it_means=(
            "No qualifying TRPM6 variant was found in the regions assessed. This lowers, but does not remove, the "
            "likelihood of TRPM6-related HSH; see the regions not assessed and the limitations."
        ),
        recommendations=(
            "A negative result does not exclude HSH: review the regions not assessed, and consider "
            "copy-number analysis and other causes of hypomagnesemia if clinically indicated.",
        ),
    ),
    Verdict.NOT_ASSESSABLE: VerdictWording(
        sentence=(
        "The TRPM6 locus could not be assessed in this sample: it has no usable genotype calls or coverage "
        "there (see the evidence). No conclusion can be drawn."
        ),
        headline="Not assessable: the data did not allow a conclusion",
        what_it_means=(
            "The data for this sample did not allow an assessment of TRPM6; no conclusion about HSH can be drawn."
        ),
        recommendations=(
            "Repeat the analysis on a new sample or sequencing run; no conclusion can be drawn from this data.",
        ),
    ),
}


AFFECTED_CARRIER = VerdictWording(
    sentence=(
        "One heterozygous qualifying TRPM6 variant in a patient with features of HSH: a second variant was not "
        "found, which does not mean it is absent."
    ),
    headline="One qualifying TRPM6 variant; a second was not found",
    what_it_means=(
        "HSH needs both copies of TRPM6 to be affected. One qualifying variant was found; in a patient with the "
        "clinical picture, the second is often one this test cannot see: a deletion or duplication of one or more "
        "exons, a deep intronic or regulatory variant, or a variant in a region that was not assessed (listed "
        "below). The result neither confirms nor excludes HSH."
    ),
    recommendations=(
        "Copy-number analysis of TRPM6 (MLPA, array or exome/genome depth) to look for an exon deletion on "
        "the other copy.",
        "Review the regions not assessed; consider RNA studies or genome sequencing for deep intronic and "
        "regulatory variants.",
        "Test both parents: the familial variant should come from one of them, and a second variant found "
        "later can then be placed in trans.",
        MANAGEMENT_NOTE,
    ),
)


NEGATIVE_LOW_QUALITY_CALL = VerdictWording(
    sentence=(
        "No qualifying TRPM6 variant passed quality control, but a qualifying variant was called at low quality: "
        "until it is confirmed or refuted, this is not a negative result."
    ),
    headline="Not a negative result: a qualifying TRPM6 variant was called but failed quality control",
    what_it_means=(
        "The sequencing data show a qualifying TRPM6 variant, but the call did not meet the quality thresholds "
        "(see the variant table). It may be real or an artefact; the verdict cannot rest on it either way."
    ),
    recommendations=(
        "Confirm the low-quality call by an orthogonal method (Sanger sequencing, or repeat sequencing) before "
        "this result is used.",
        "If it is confirmed, re-run the analysis: the verdict changes.",
    ),
)
NEGATIVE_COVERAGE_UNKNOWN = VerdictWording(
    sentence=(
        "No qualifying TRPM6 variant among the variants the VCF lists; the VCF does not say whether TRPM6 was "
        "covered, so variants there cannot be excluded."
    ),
    headline="No qualifying TRPM6 variant listed; coverage of TRPM6 could not be confirmed",
    what_it_means=(
        "The VCF lists variants only. Whether the 39 TRPM6 exons were sequenced deeply enough is not known, so "
        "this result cannot exclude a TRPM6 variant and does not by itself lower the likelihood of HSH."
    ),
    recommendations=(
        "Provide a gVCF or the alignment (BAM/CRAM) to confirm coverage of TRPM6; until then, treat the "
        "result as incomplete.",
        "Consider copy-number analysis and other causes of hypomagnesemia if clinically indicated.",
    ),
)
REFINED_WORDING = (AFFECTED_CARRIER, NEGATIVE_LOW_QUALITY_CALL, NEGATIVE_COVERAGE_UNKNOWN)
"""Wordings that replace a verdict's own where it would reassure more than the evidence allows."""


def recommendations_for(verdict: Verdict) -> list[str]:
    """What typically follows from a verdict, as information for the clinician."""
    return list(VERDICT_WORDING[verdict].recommendations)


# ----------------------------------------------------------------------------- lab values

LAB_RANGE_SOURCE = (
    "Common adult reference intervals (Tietz Textbook of Laboratory Medicine); paediatric intervals "
    "differ, so apply the ordering laboratory's own age-specific intervals."
)
HSH_PICTURE_SOURCE = (
    "Severe hypomagnesemia (typically below 0.5 mmol/L, often 0.1-0.3 mmol/L) with secondary hypocalcemia "
    "and inappropriately low PTH is the picture described for TRPM6 deficiency (Schlingmann et al., Nat Genet "
    "2002; Walder et al., Nat Genet 2002; OMIM 602014)."
)
SEVERE_HYPOMAGNESEMIA_NAME = "Severe hypomagnesemia"

# How one value reads against its interval ({limit:g} and {unit} filled in).
READING_LOW = "below {limit:g} {unit}"
READING_HIGH = "above {limit:g} {unit}"
READING_NORMAL = "within the reference interval"
READING_HYPOMAGNESEMIA = "hypomagnesemia"
READING_SEVERE_SUFFIX = " (severe, as typical of HSH)"
READING_HYPOCALCEMIA = "hypocalcemia"
READING_PTH_LOW_FOR_HYPOCALCEMIA = (
    "inappropriately low or normal for the hypocalcemia (magnesium deficiency impairs PTH secretion), as seen in HSH"
)
READING_PTH_RAISED_FOR_HYPOCALCEMIA = "raised, an appropriate response to hypocalcemia"

# The one-sentence clinical correlation of the lab values with the HSH picture.
CORRELATION_NO_VALUES = (
    "No laboratory values were given: correlate the genetic result with serum magnesium, calcium "
    "and PTH measured before any magnesium treatment."
)
CORRELATION_NO_MAGNESIUM = "Serum magnesium was not given; it is the key measurement for HSH and should be obtained."
CORRELATION_MAGNESIUM_NOT_LOW = (
    "Serum magnesium is not low, which does not fit untreated HSH: check whether the sample was "
    "taken during magnesium supplementation."
)
PICTURE_HYPOMAGNESEMIA = "hypomagnesemia"
PICTURE_SEVERE_HYPOMAGNESEMIA = "severe hypomagnesemia (below {threshold:g} mmol/L)"
PICTURE_HYPOCALCEMIA = "hypocalcemia"
PICTURE_LOW_PTH = "an inappropriately low or normal PTH"
PICTURE_MISSING = {"serum_ca_mmol_l": "calcium", "pth_pg_ml": "PTH"}
PICTURE_NOT_GIVEN = "; {names} not given"
CORRELATION_TYPICAL = "The laboratory picture ({picture}) is typical of HSH."
CORRELATION_COMPATIBLE = "The laboratory picture ({picture}{missing}) is compatible with, but not specific for, HSH."
CORRELATION_MAGNESIUM_UNIT_CHECK = (
    "Serum magnesium reads as high, which is unusual and does not fit untreated HSH, but the same figure in "
    "mg/dL or mEq/L would be low: confirm the unit with the laboratory before reading it against HSH."
)
CORRELATION_HYPOPARATHYROIDISM = (
    "Serum magnesium is not low while calcium is low and PTH is not raised: this points to hypoparathyroidism, "
    "not to HSH (magnesium deficiency cannot explain a low PTH when magnesium is normal)."
)

# Lab values with units and age-appropriate intervals (report.labs). Sources of each interval band.
LAB_SOURCE_ADULT = "adult interval (Tietz Textbook of Laboratory Medicine)"
LAB_SOURCE_MG_PAEDIATRIC = (
    "RCPA/AACB harmonised paediatric magnesium intervals, as listed by Australian hospital laboratories (e.g. "
    "Alfred Health Pathology handbook); neonatal magnesium intervals are not well established (Rigo et al., "
    "Nutrients 2017), so read a value near a limit against the ordering laboratory's interval"
)
LAB_SOURCE_CA_PAEDIATRIC = (
    "Tietz paediatric total-calcium intervals, as tabulated in Davis's Lab and Diagnostic Tests; method-"
    "dependent, so check the ordering laboratory's interval"
)
LAB_SOURCE_PTH_PAEDIATRIC = (
    "age intervals for intact PTH by electrochemiluminescent immunoassay, as tabulated in Davis's Lab and "
    "Diagnostic Tests; PTH intervals depend on the assay, so check the ordering laboratory's interval"
)
LAB_SOURCE_WITH_AGE = (
    "Age-appropriate reference intervals for the age at sampling ({age}); the source of each is given with it."
)
LAB_SOURCE_NO_AGE = (
    "No age at sampling was given, so adult reference intervals are used (Tietz Textbook of Laboratory "
    "Medicine); for a child, give the age (sheet column age) to read the values against paediatric intervals."
)
LAB_PLAUSIBILITY_NOTE = (
    "Every value was converted to mmol/L (PTH to pg/mL) from the unit entered and checked against physiologically "
    "possible bounds before the run."
)
READING_UNIT_CHECK = "; check the unit: a high value is unusual, and {entered} would be low in {readings}"
READING_UNIT_CHECK_ITEM = "{unit} ({standard})"

# How PTH reads with a low calcium depends on the magnesium (PTH secretion fails below about 0.4 mmol/L).
READING_PTH_LOW_MG_BELOW_SECRETION = (
    "inappropriately low or normal for the hypocalcemia: with magnesium below {threshold:g} mmol/L "
    "({threshold_meq:g} mEq/L) PTH secretion fails, the picture of HSH"
)
READING_PTH_LOW_MG_LOW = (
    "inappropriately low or normal for the hypocalcemia; magnesium deficiency impairs PTH secretion (it fails "
    "below about {threshold:g} mmol/L), as in HSH, but at this magnesium level consider hypoparathyroidism too"
)
READING_PTH_LOW_MG_NORMAL = (
    "inappropriately low or normal for the hypocalcemia with normal magnesium: this points to "
    "hypoparathyroidism, not to HSH"
)
READING_PTH_LOW_MG_NOT_GIVEN = (
    "inappropriately low or normal for the hypocalcemia; magnesium was not given: with magnesium below about "
    "{threshold:g} mmol/L this is the HSH picture, with normal magnesium it points to hypoparathyroidism"
)
PTH_SECRETION_THRESHOLD_NAME = "PTH secretion fails (magnesium below)"

# The physiology behind the numbers, each stated where it applies, with its reference.
REFERENCE_HSH_GENES = (
    "Schlingmann et al., Nat Genet 2002;31:166-170; Walder et al., Nat Genet 2002;31:171-174"
)
REFERENCE_HSH_REVIEW = (
    "Viering et al., Pediatr Nephrol 2017;32:1123-1135 (review of genetic hypomagnesemia); OMIM 602014"
)
REFERENCE_MG_PTH = (
    "Rude et al., Clin Endocrinol (Oxf) 1976;5:209-224 (parathyroid failure and PTH end-organ resistance in "
    "magnesium deficiency)"
)
PHYSIOLOGY_PTH_SECRETION = (
    "Below about {threshold:g} mmol/L ({threshold_meq:g} mEq/L) magnesium, the parathyroid glands fail to "
    "secrete PTH, so PTH stays low or normal despite the hypocalcemia; here magnesium is {mg:.3g} mmol/L."
)
PHYSIOLOGY_END_ORGAN_RESISTANCE = (
    "Magnesium deficiency also blunts the response of bone and kidney to PTH (end-organ resistance), so even "
    "a normal PTH does not correct the calcium."
)
PHYSIOLOGY_REFRACTORY = (
    "The hypocalcemia of HSH is refractory to calcium and vitamin D alone; it corrects only when magnesium is "
    "replaced (lifelong high-dose oral magnesium)."
)
PHYSIOLOGY_COURSE = (
    "HSH usually presents in the first months of life with tetany and generalized seizures; untreated it "
    "can lead to permanent neurological damage with developmental delay, failure to thrive, heart failure "
    "and death."
)
PHYSIOLOGY_HYPOPARATHYROIDISM = (
    "With normal magnesium, a low calcium with a low or normal PTH is the picture of hypoparathyroidism; "
    "magnesium deficiency is not the explanation, and TRPM6 deficiency does not fit it."
)

# ----------------------------------------------------------------------------- variants, regions, limitations

PHASE_SOURCE_TEXT = {
    "read_backed": "read-backed phasing in the VCF (GT | with phase set)",
    "parental": "parental genotypes",
    "both": "read-backed phasing and parental genotypes",
    "genotype": "the genotype itself: two different variant alleles at one position (1/2) lie on different copies",
    "deletion": "a called heterozygous deletion: the variant, seen without a reference allele, is on the other copy",
    "unknown": "not determined",
    "not_applicable": "not applicable",
}
#: Genotypes as the VCF gave them (extract and inheritance stages).
DUPLICATE_RECORD_NOTE = "{site}: the same record appears {times} in the VCF; counted once"
HET_ALT_NOTE = (
    "{site}: one genotype holds two different variant alleles ({alleles}; a 1/2-type call); each is "
    "heterozygous, on a different copy of the gene"
)
HET_ALT_PHASE = "one genotype at {site} holds both alleles (a 1/2-type call): they lie on different copies"
NON_DIPLOID_FAILURE = "non-diploid genotype on an autosome ({genotype})"
MORE_THAN_TWO_ALLELES_FAILURE = "the records at {site} give this sample more than two alleles"
NOT_ASSESSED_EXONS = "{label} {numbers} (coding bases and canonical splice sites)"

# ----------------------------------------------------------------------------- phase honesty

# A parent's genotype at a site its VCF does not list ({key}; {source} says what shows reference there).
PARENT_NOT_CALLED = "not called at {key} (plain VCF: absent is not reference)"
PARENT_REFERENCE = "reference ({source})"
PARENT_GVCF_UNCOVERED = "not covered by a reference block passing QC in the parent's gVCF (unknown)"
PARENT_REFERENCE_GVCF = "gVCF block, DP {depth}"
PARENT_REFERENCE_ALIGNMENT = "alignment: {depth} reads over the base, {alt} with the variant"
PARENT_SV_NOT_EXCLUDED = "not called at {key} (a structural variant absent from a VCF is not excluded)"

# A trans/cis decision that rests on read-backed phase only ({first}, {second}, {phase}, {detail}).
READ_BACKED_ONLY_EVIDENCE = (
    "{first} and {second} in {phase} by read-backed phasing only ({detail}): reads can switch phase over "
    "long distances; parental testing is recommended to confirm it"
)
READ_BACKED_ONLY_RECOMMENDATION = (
    "Test both parents for {first} and {second}: that they lie in {phase} rests on read-backed phasing "
    "only ({detail})."
)
# A structural-variant call with confidence intervals around its breakpoints ({key}, {start}, {end}).
IMPRECISE_BREAKPOINTS = (
    "{key}: imprecise breakpoints (start within {start}, end within {end}): the exons it removes are "
    "uncertain at its edges; confirm by an orthogonal method (MLPA, array or long reads)"
)
# CIS_NOT_BIALLELIC in a patient recorded as affected: the cis reading must not close the case.
CIS_IN_AFFECTED_EVIDENCE = (
    "the sample is recorded as affected, yet both qualifying variants lie on one copy: a second hit on the "
    "other copy was not found; parental testing is recommended to confirm the phase"
)
CIS_IN_AFFECTED_RECOMMENDATION = (
    "The patient is affected but the qualifying variants were found in cis: test both parents to confirm "
    "the phase, and consider a search for a second hit on the other copy (copy-number analysis, deep "
    "intronic or regulatory variants)."
)

# ----------------------------------------------------------------------------- exon copy number from read depth
# (inheritance.copy_number_calls turns a sample's copy-number result into calls and these lines)

COPY_NUMBER_KIND = {0: "homozygous deletion", 1: "heterozygous deletion"}
COPY_NUMBER_DUPLICATION = "duplication"
# One line per copy-number call ({kind}, {exons}, {copy_number}, {chrom}, {start}, {end}, {bayes}, {confidence}).
COPY_NUMBER_CALL = (
    "read depth: {kind} of exon(s) {exons} (copy number {copy_number}; outer exon edges {chrom}:{start:,}-{end:,}, "
    "the breakpoints lie in the flanking introns), log10 Bayes factor {bayes:.1f}, {confidence} confidence: "
    "confirm by an orthogonal method (MLPA, array or long reads)"
)
COPY_NUMBER_LOW_CONFIDENCE = (
    "low-confidence copy-number call (log10 Bayes factor {bayes:.1f} below {threshold:g}): suggestive only, "
    "confirm by an orthogonal method"
)
COPY_NUMBER_DUPLICATION_NOTE = (
    "a duplication's effect depends on whether it lies in tandem inside the gene, which read depth cannot "
    "tell: of uncertain significance"
)
COPY_NUMBER_NORMAL = (
    "read depth: two copies of all {assessed} assessed exons (no deletion or duplication called; a "
    "single-exon deletion can be missed, see the limitations)"
)
COPY_NUMBER_EXONS_NOT_ASSESSED = (
    "read depth: copy number not assessed for exon(s) {exons} ({reason}): a deletion there is not excluded"
)
COPY_NUMBER_AGREES = (
    "read depth agrees with the deletion {key} (to {end}) of the VCF: both are read as one event"
)
COPY_NUMBER_PARENT_TWO_COPIES = "read depth shows two copies of exon(s) {exons}"
COPY_NUMBER_SAMPLE_NOT_ASSESSED = "copy number from read depth not assessed: {reason}"
COPY_NUMBER_NO_ALIGNMENT = (
    "no alignment (BAM/CRAM) in the sample sheet, so exon copy number was not assessed from read depth"
)
COPY_NUMBER_RECOMMENDATION = (
    "Confirm the copy-number finding from read depth ({calls}) by an orthogonal method (MLPA, array or "
    "long reads) and test the parents for it."
)
COPY_NUMBER_DEPTH_NORMAL_RECOMMENDATION = (
    "Read depth in this sample's alignment showed two copies of every TRPM6 exon it could assess; it can miss a "
    "deletion of a single exon and says nothing about the exons it could not assess (listed in the copy-number "
    "section). If the second variant is still sought, MLPA or an array can look for a small deletion."
)
COPY_NUMBER_LIMITATIONS = (
    "Exon copy number was estimated from read depth against a reference set of other samples of the batch "
    "(or a panel of normals): a deletion of a single exon is detected less reliably than one of two or more "
    "exons (see docs/benchmarks.md), the first and last exons and exons with low or GC-extreme coverage are "
    "the least reliable, and a copy-number change shared by the reference samples (a common variant) is not "
    "seen. Breakpoints are only known to lie in the introns around the called exons.",
    "Copy-number calls from read depth are screening results: every one needs confirmation by an orthogonal "
    "method (MLPA, array or long reads) before clinical use.",
)

LIMITATIONS = (
    "Only the TRPM6 locus was analysed; other causes of hypomagnesemia were not assessed.",
    "Copy-number changes (exon or whole-gene deletions and duplications) are detected only when the "
    "input VCF carries them as structural-variant records or, for a sample with an alignment, from read "
    "depth (see the copy-number section); their absence does not exclude them.",
    "Deep intronic and regulatory variants outside the annotated region, and variants in regions "
    "not assessed (listed above), cannot be excluded.",
    "Low-level mosaicism below the variant caller's sensitivity cannot be excluded.",
    "Variant classification is automated (ACMG/AMP criteria the pipeline can evaluate) and must be "
    "reviewed by a qualified professional before clinical use.",
)

# ----------------------------------------------------------------------------- provenance

ANNOTATOR_VERSION_NOT_STATED = "not stated by the tool"

# ----------------------------------------------------------------------------- population frequency and input build

POPULATION_NOT_ASSESSED = (
    "Population frequency not assessed: no population-frequency source was configured, so a common allele "
    "could not be excluded"
)
POPULATION_STARTUP_WARNING = (
    "trpm6-hsh: warning: no population-frequency source for batch(es) {batches} (no gnomad_vcf, and none of "
    "population.info_fields is declared in the VCF header): every variant's frequency is unknown; a common "
    "loss-of-function allele cannot be recognised. Fix: set gnomad_vcf or population.info_fields"
)
POPULATION_OUTSIDE_COVERAGE = "frequency unknown: outside what the population file covers ({coverage})"
POPULATION_NOT_IN_FILE = "not in {source}"
CHROMOSOME_RECORDS_OUTSIDE_LOCUS = (
    "The VCF holds {count} {contig} record(s), none inside the TRPM6 locus: check that it was called on {build} "
    "(the reference bases there could not confirm the build)"
)

# ----------------------------------------------------------------------------- sample-level evidence (PM3, PP4)

PP4_MET = (
    "PP4: severe hypomagnesemia (magnesium {mg:g} mmol/L, below {mg_limit:g}) with secondary hypocalcemia "
    "(calcium {ca:g} mmol/L, below {ca_limit:g}) and inappropriately normal PTH ({pth:g} pg/mL, not above "
    "{pth_limit:g}) (phenotype highly specific for HSH): supporting, +1 point for each variant of interest"
)
PP4_REASON = (
    "PP4: severe hypomagnesemia with secondary hypocalcemia and inappropriately normal PTH (phenotype highly "
    "specific for HSH)"
)
PP4_NOT_MET = "PP4 not met: the lab values do not show the picture specific for HSH ({why})"
PP4_MG_NOT_LOW = "magnesium {value:g} mmol/L is not below {limit:g}"
PP4_CA_NOT_LOW = "calcium {value:g} mmol/L is not below {limit:g}"
PP4_PTH_RAISED = "PTH {value:g} pg/mL is above {limit:g}"
PP4_NOT_EVALUABLE = (
    "PP4 not evaluable: {missing} not given (serum magnesium, calcium and PTH are all needed); the variants are "
    "classified without phenotype evidence"
)
PP4_DISABLED = "PP4 not considered: phenotype.pp4 is false in the config"
SAMPLE_EVIDENCE_UNAFFECTED = (
    "PM3 and PP4 not counted: the sample is recorded as unaffected, and both apply only to a patient with the "
    "phenotype"
)
PM3_PAIRING = "{phase} ({source}) with {partner} ({partner_class} without PM3): {points:g} point(s)"
PM3_HOMOZYGOUS = "homozygous occurrence in this patient: {points:g} point(s)"
PM3_HOMOZYGOUS_NOT_ESTABLISHED = "apparently homozygous, but homozygosity is not established: 0 points"
SAMPLE_POINTS = "{variant}: {before} classify-stage point(s){added} = {total} points, {classification}"
CLASS_RAISED = "{variant}: class raised from {before} to {after} by {labels}: {reasons}"
POINTS_NOT_GIVEN = "{variant}: the variant table gives no ACMG points, so PM3 and PP4 are not counted for it"
CLINVAR_SHOWN = "ClinVar: {significance}, {stars} star(s)"
CLINVAR_STARS_UNKNOWN = "ClinVar: {significance}, review stars unknown"
CLINVAR_BELOW_MINIMUM = " — below the configured minimum of {minimum}, not counted"

# ----------------------------------------------------------------------------- verdict box, variant evidence, family

#: The verdict box names each variant that decides the verdict: "{name}, {zygosity}, {class}{phase}".
SUMMARY_VARIANT = "{name}, {zygosity}, {classification}{phase}"
SUMMARY_LOW_QUALITY = " (low-quality call: not counted; confirm by an orthogonal method)"
SUMMARY_PHASE = {
    "trans": "; on the other copy of the gene than the other variant (in trans), shown by {source}",
    "cis": "; on the same copy of the gene as the other variant (in cis), shown by {source}",
    "unknown": "; whether it is on the same copy as the other variant is not known",
}
SUMMARY_PHASE_SOURCE = {
    "read_backed": "sequencing reads",
    "parental": "the parents' results",
    "both": "sequencing reads and the parents' results",
    "genotype": "the genotype itself",
    "deletion": "a deletion of the other copy",
}
SUMMARY_NOT_ASSESSABLE = (
    "No variant could be assessed: the sample has no usable call at the TRPM6 locus, so nothing is excluded."
)
ZYGOSITY_APPARENT = "apparently homozygous (a deletion of the other copy is not excluded)"
SUMMARY_NO_VARIANT = "No variant classified as pathogenic, likely pathogenic or of uncertain significance was found."
SUMMARY_NOT_ASSESSED = (
    "{count} region(s) of the TRPM6 coding sequence could not be confirmed as covered; a variant there cannot be "
    "excluded (see Limitations)."
)
SV_IMPRECISE = "breakpoints approximate"
SV_EXONS = "deletion of exon(s) {exons}"
ZYGOSITY_WORDS = {"heterozygous": "heterozygous", "homozygous": "homozygous", "hemizygous": "hemizygous",
                  "no_call": "not called"}  # fmt: skip

NARRATIVE_WHAT = "{name} is {article} {consequence} variant{where}, found {zygosity} in this sample."
NARRATIVE_WHY_POINTS = "It is classed {classification} with {total} point(s) from {codes}."
NARRATIVE_WHY_STANDALONE = "It is classed {classification}: {code} is benign on its own, so no other criterion counts."
NARRATIVE_WHY_NONE = "It is classed {classification}: no scored criterion applies."
NARRATIVE_WHY_UNLISTED = (
    "It was not classified (not in the variant table); it counts towards no verdict and needs review."
)
NARRATIVE_CLINVAR = " ClinVar: {clinvar}."
CRITERION_STATUS = {"met": "met", "not_met": "not met", "not_evaluable": "not evaluable"}
CRITERION_NOT_EVALUABLE_FREQUENCY = "no population frequency for this variant"
CRITERION_NOT_EVALUABLE_UNLISTED = "the variant is not in the variant table"
CRITERION_PM3_NOT_COUNTED = "in-trans / homozygous evidence did not reach a counted strength in this sample"
CRITERION_PP4_NOT_COUNTED = "the lab values do not show the picture specific for HSH, or the patient is not affected"
CRITERION_PP4_NOT_EVALUABLE = "magnesium, calcium and PTH are not all given"
CRITERIA_NOT_USED = (
    "Not evaluated by this analysis (they need data beyond the sample's VCF): PS1, PS2, PS3, PS4, PM1, PM5, PM6, "
    "PP1, PP2, PP3, PP5, BS2, BS3, BS4, BP1, BP2, BP3, BP4, BP5, BP6."
)
LOF_NOT_COUNTED = "predicted loss of function, but not qualifying: the variant is classed {classification}"

REFERENCES = (
    "Richards S, et al. Standards and guidelines for the interpretation of sequence variants (ACMG/AMP). "
    "Genet Med. 2015;17:405-424.",
    "Tavtigian SV, et al. Modeling the ACMG/AMP variant classification guidelines as a Bayesian classification "
    "framework. Genet Med. 2018;20:1054-1060.",
    "Tavtigian SV, et al. Fitting a naturally scaled point system to the ACMG/AMP variant classification "
    "guidelines. Hum Mutat. 2020;41:1734-1737.",
    "Abou Tayoun AN, et al. Recommendations for interpreting the loss of function PVS1 ACMG/AMP variant "
    "criterion. Hum Mutat. 2018;39:1517-1524.",
    "ClinGen Sequence Variant Interpretation Working Group. Recommendation for in trans (PM3) criterion, "
    "version 1.0 (2019).",
    "Schlingmann KP, et al. Hypomagnesemia with secondary hypocalcemia is caused by mutations in TRPM6, a new "
    "member of the TRPM gene family. Nat Genet. 2002;31:166-170.",
    "Walder RY, et al. Mutation of TRPM6 causes familial hypomagnesemia with secondary hypocalcemia. "
    "Nat Genet. 2002;31:171-174.",
)
REFERENCE_DATA_RELEASE = "Data release used: {name} {version}."

REANALYSIS = (
    "Variant classifications reflect the evidence available on the date of analysis and can change. The data can "
    "be reanalysed and the variants reclassified on request, for example when the clinical picture changes or "
    "new evidence is published; a reclassification that changes this result will be reported."
)
AFFECTED_COUNSELLING = (
    "Genetic counselling is recommended for the patient and the family. All of the patient's children will "
    "inherit one of the two TRPM6 variants and so be carriers; testing the patient's partner for TRPM6 variants "
    "tells whether a child could be affected."
)
CARRIER_COUPLE = (
    "Both parents carry a qualifying TRPM6 variant of this family: in each pregnancy of this couple the chance of "
    "an affected child is 25% (1 in 4), of a carrier child 50%. Reproductive options include prenatal testing "
    "(chorionic villus sampling or amniocentesis) and preimplantation genetic testing (PGT) with IVF; genetic "
    "counselling is recommended before a further pregnancy."
)
FAMILY_INTRO = (
    "Family context from this analysis: {child} ({relation} of this person, verdict: {headline}) carries the "
    "TRPM6 variant(s) below; whether this person carries each:"
)
FAMILY_CARRIES = {"carrier": "carries it ({genotype})", "not_carrier": "does not carry it ({genotype})",
                  "unknown": "not determined ({genotype}); test this variant directly"}  # fmt: skip
FAMILY_NO_FAMILIAL_VARIANT = (
    "{child} ({relation} of this person) has no qualifying variant or variant of uncertain significance in TRPM6 "
    "in this analysis, so there is no familial variant to test for."
)
HEADER_LABELS = {
    "patient_name": "Patient", "date_of_birth": "Date of birth", "mrn": "MRN", "accession": "Accession",
    "specimen": "Specimen", "collected": "Collected", "ordering_clinician": "Ordering clinician",
    "indication": "Indication", "test_method": "Test method", "laboratory_accreditation": "Accreditation",
}  # fmt: skip
