"""Exon copy number from read counts: reference-set selection, GC correction, beta-binomial, HMM.

The approach follows the read-depth ratio method used for exome CNV calling: each test sample is
compared with the summed counts of the samples whose count profiles correlate best with it, the test
sample's share of reads at each exon is modelled as beta-binomial around the share two copies predict,
and a hidden Markov model over the exons in transcript order joins exons into calls.

Steps, per batch (samples are processed in name order, so the order they are given in never matters):

1. GC correction. For each sample, the log ratio of its normalised counts to the batch median is fitted
   as a robust quadratic in GC content (Tukey-biweighted least squares), and counts are divided by the
   fit, whose biweights give an event's targets no say. A smooth curve is used rather than medians of
   GC bins because one gene has few targets: a bin would hold five exons or so, and a five-exon event
   that filled one would be normalised away.
2. Reference set. Candidates (the other samples of the batch and the panel of normals) are ranked by
   the correlation of their log counts with the test sample's, over the exons where the test is not
   far from the batch median (its own events would otherwise favour references that share the noise).
   They are added in that order, at least ``min_reference_samples`` and at most
   ``max_reference_samples``, while the spread of the test sample's log ratios (median absolute
   deviation over exons, robust to the test's own events) keeps falling. With fewer candidates than
   the minimum, the sample is not assessed.
3. Reference sum. A reference sample whose count at a target is far from the reference median (below
   0.7 or above 1.35 times it, the signature of its own deletion or duplication) contributes the
   median there instead, so a carrier in the reference set does not fake an event in the test sample.
4. Beta-binomial. The test's reads at an exon, given its reads plus the reference sum, are beta-binomial
   with mean share ``r k / (1 + r k)``: ``k`` is the test/reference scale (median over targets, so a
   five-exon event does not shift it) and ``r`` is 0 (floored at ``ZERO_COPY_RATIO``), 0.5, 1 or 1.5 for
   copy numbers 0-3. The over-dispersion is fitted by maximum likelihood on the reference samples
   (each against the sum of the others), leaving out their outlying exons.
5. HMM. Viterbi over exons 1..39 in transcript order with states 0-3; a run of states other than 2 is
   a call when its log10 Bayes factor against copy number 2 reaches ``min_log10_bayes_factor``. Each
   exon's own copy number is the state with the highest posterior (forward-backward), so one noisy
   exon is not reported as a change on its own likelihood alone. Exons not assessed add no evidence.

Limits, to be read with every call:

- A single-exon event is the hardest: its evidence is one exon's reads, and the HMM's prior cost of
  entering and leaving an event must be paid by that one exon. Sensitivity for single-exon
  heterozygous deletions and single-exon duplications is lower than for longer events, above all at
  small exons in an exome (few reads) and in a genome at 30x.
- Exon 1 and exon 39 have only one neighbour; an event there cannot be distinguished from one that
  extends beyond the gene, and exon 39 (mostly 3' UTR) is long, so its own noise differs.
- Low-complexity or low-mappability stretches lose reads below the mapping-quality threshold in every
  sample; an exon with too few reference reads is reported not assessed, never as two copies.
- In a genome, the padded exon holds few reads at 30x; a wider padding (200 bases) gathers more of the
  deleted segment's reads, which helps as long as the deletion reaches that far into both introns.
- Capture and genome data must not be mixed in one reference set: capture efficiency differs per exon,
  so a genome sample's profile is not a capture sample's. Keep one batch (and one panel) per assay.
- The sample's scale is the median over targets, so an event covering about half of them or more (a
  whole-gene deletion in an exome, where the control windows get no reads) is not measured correctly;
  such samples come out not assessed or with a wrong scale. Whole-gene events need a genome-wide caller.
- Mosaic events and events in a reference-set majority (a founder deletion shared by most samples of
  a batch) are not modelled.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np

from trpm6_hsh.copy_number.counts import EXON, ExonCounts
from trpm6_hsh.copy_number.results import (
    ASSESSED,
    HIGH,
    LOW,
    NOT_ASSESSED,
    CopyNumberCall,
    ExonCopyNumber,
    SampleCopyNumber,
)
from trpm6_hsh.copy_number.settings import CopyNumberSettings
from trpm6_hsh.transcripts import Transcript

COPY_NUMBERS = (0, 1, 2, 3)
ZERO_COPY_RATIO = 0.02
"""Expected ratio at zero copies: mis-mapped reads and index hopping leave a few reads in a real gap."""
COPY_RATIOS = np.array([ZERO_COPY_RATIO, 0.5, 1.0, 1.5])
NORMAL_STATE = 2
MIN_USABLE_COUNT = 10.0
"""Targets whose batch median count is lower are too noisy to normalise with (off-target controls)."""
REFERENCE_OUTLIER_LOW, REFERENCE_OUTLIER_HIGH = 0.7, 1.35
MEAN_EVENT_EXONS = 3.0
OVERDISPERSION_GRID = np.exp(np.linspace(math.log(1e-5), math.log(0.2), 44))
_LANCZOS_G = 7.0
_LANCZOS = (
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
)


def lgamma(values: np.ndarray | float) -> np.ndarray:
    """log Gamma of positive values, vectorised (Lanczos, g=7; below 1 through Gamma(x) = Gamma(x+1)/x)."""
    x = np.asarray(values, dtype=float)
    small = x < 1.0
    z = np.where(small, x + 1.0, x) - 1.0
    series = np.full(z.shape, _LANCZOS[0])
    for index, coefficient in enumerate(_LANCZOS[1:], start=1):
        series = series + coefficient / (z + index)
    t = z + _LANCZOS_G + 0.5
    result = 0.5 * math.log(2 * math.pi) + (z + 0.5) * np.log(t) - t + np.log(series)
    return np.where(small, result - np.log(np.where(small, x, 1.0)), result)


def beta_binomial_logpmf(x: np.ndarray, n: np.ndarray, p: np.ndarray, rho: float,
                         with_binomial_coefficient: bool = True) -> np.ndarray:
    """log P(x | n, mean share p, intra-class correlation rho); x and n may be non-integer after correction.

    The binomial coefficient does not depend on p or rho; leaving it out speeds up fitting and comparing.
    """
    x, n, p = (np.asarray(value, dtype=float) for value in (x, n, p))
    scale = (1.0 - rho) / rho
    alpha, beta = p * scale, (1.0 - p) * scale
    result = (
        lgamma(x + alpha) + lgamma(n - x + beta) - lgamma(n + scale)
        + lgamma(scale) - lgamma(alpha) - lgamma(beta)
    )
    if with_binomial_coefficient:
        result = result + lgamma(n + 1) - lgamma(x + 1) - lgamma(n - x + 1)
    return result


def call_batch(
    counts: Sequence[ExonCounts],
    transcript: Transcript,
    settings: CopyNumberSettings,
    panel: Sequence[ExonCounts] = (),
) -> dict[str, SampleCopyNumber]:
    """Copy number of every sample in ``counts``; ``panel`` samples serve as references only."""
    batch = sorted(counts, key=lambda item: item.sample)
    references_only = sorted(panel, key=lambda item: item.sample)
    everyone = batch + references_only
    if not batch:
        return {}
    targets = batch[0].targets
    for item in everyone:
        if item.targets != targets:
            raise ValueError(f"{item.sample} was counted over other targets than {batch[0].sample}")
    names = [item.sample for item in everyone]
    raw = np.array([item.counts for item in everyone], dtype=float)
    gc = np.array([target.gc for target in targets])
    is_exon = np.array([target.kind == EXON for target in targets])
    usable = np.median(raw, axis=0) >= MIN_USABLE_COUNT
    corrected = gc_correct(raw, gc, usable)
    results = {}
    for index, item in enumerate(batch):
        candidates = [other for other in range(len(everyone)) if names[other] != item.sample]
        results[item.sample] = _call_sample(index, candidates, names, raw, corrected, usable, is_exon, targets,
                                            transcript, settings)
    return {item.sample: results[item.sample] for item in counts}


def gc_correct(raw: np.ndarray, gc: np.ndarray, usable: np.ndarray) -> np.ndarray:
    """Counts divided by each sample's robust quadratic fit of log(count / batch median) on GC content."""
    corrected = raw.copy()
    if usable.sum() < 10 or len(raw) < 3:
        return corrected
    sizes = _size_factors(raw, usable)
    normalised = raw / sizes[:, None]
    median = np.median(normalised, axis=0)
    design = np.column_stack([np.ones(usable.sum()), gc[usable] - 0.5, (gc[usable] - 0.5) ** 2])
    full = np.column_stack([np.ones(len(gc)), gc - 0.5, (gc - 0.5) ** 2])
    for sample in range(len(raw)):
        y = np.log((normalised[sample, usable] + 0.5) / (median[usable] + 0.5))
        coefficients = _robust_fit(design, y)
        factor = np.clip(np.exp(full @ coefficients), 0.5, 2.0)
        corrected[sample] = raw[sample] / factor
    return corrected


def _size_factors(raw: np.ndarray, usable: np.ndarray) -> np.ndarray:
    """Median-of-ratios library size per sample (robust to a few altered targets)."""
    median = np.median(raw[:, usable], axis=0)
    return np.maximum(np.median(raw[:, usable] / np.maximum(median, 1e-9), axis=1), 1e-9)


def _robust_fit(design: np.ndarray, y: np.ndarray, iterations: int = 10) -> np.ndarray:
    """Least squares with Tukey biweights: a target far off the curve (an event) gets no weight at all."""
    weights = np.ones(len(y))
    coefficients = np.zeros(design.shape[1])
    for _ in range(iterations):
        root = np.sqrt(weights)
        coefficients = np.linalg.lstsq(design * root[:, None], y * root, rcond=None)[0]
        residual = y - design @ coefficients
        spread = 1.4826 * float(np.median(np.abs(residual - np.median(residual)))) or 1e-6
        scaled = residual / (4.685 * spread)
        weights = np.where(np.abs(scaled) < 1.0, (1.0 - scaled**2) ** 2, 0.0)
    return coefficients


def _call_sample(test: int, candidates: list[int], names: list[str], raw: np.ndarray, corrected: np.ndarray,
                 usable: np.ndarray, is_exon: np.ndarray, targets, transcript: Transcript,
                 settings: CopyNumberSettings) -> SampleCopyNumber:
    sample = names[test]
    exon_numbers = [target.exon for target in targets if target.exon is not None]
    if len(candidates) < settings.min_reference_samples:
        reason = (f"only {len(candidates)} other sample(s) in the batch and panel of normals; at least "
                  f"{settings.min_reference_samples} are needed to build a reference set")
        return _not_assessed(sample, reason, exon_numbers)
    if usable.sum() < 3 or raw[test].sum() <= 0:
        return _not_assessed(sample, "no reads at the TRPM6 exons", exon_numbers)
    chosen = select_reference_set(test, candidates, names, corrected, usable, is_exon, settings)
    reference_sum = _reference_sum(corrected[chosen], usable)
    x = corrected[test]
    ratios = x[usable] / np.maximum(reference_sum[usable], 1e-9)
    scale = float(np.median(ratios))
    if scale <= 0:
        return _not_assessed(sample, "the sample has no reads at most targets", exon_numbers)
    rho = fit_overdispersion(corrected[chosen], usable & is_exon)
    exon_columns = [i for i, target in enumerate(targets) if target.exon is not None]
    per_reference = reference_sum / len(chosen)
    assessed = np.array([per_reference[column] >= settings.min_reference_reads for column in exon_columns])
    shares = COPY_RATIOS * scale / (1.0 + COPY_RATIOS * scale)
    reads = np.repeat(x[exon_columns][:, None], len(COPY_NUMBERS), axis=1)
    totals = reads + reference_sum[exon_columns][:, None]
    loglik = beta_binomial_logpmf(reads, totals, np.broadcast_to(shares, reads.shape), rho)
    loglik[~assessed] = 0.0
    states = viterbi(loglik, settings.transition_probability)
    posterior = posterior_probabilities(loglik, settings.transition_probability)
    exons = []
    for row, column in enumerate(exon_columns):
        number = targets[column].exon
        if not assessed[row]:
            exons.append(ExonCopyNumber(number, NOT_ASSESSED, (
                f"fewer than {settings.min_reference_reads:g} reads per reference sample (a capture gap, "
                "low mappability or a region not sequenced)")))
            continue
        alternatives = [state for state in COPY_NUMBERS if state != NORMAL_STATE]
        best_alternative = max(alternatives, key=lambda state: loglik[row, state])
        expected = scale * reference_sum[column]
        most_likely = int(np.argmax(posterior[row]))
        exons.append(ExonCopyNumber(
            exon=number, status=ASSESSED, reads=float(raw[test, column]), expected_reads=float(expected),
            ratio=float(x[column] / expected), copy_number=most_likely,
            posterior=float(posterior[row, most_likely]),
            log10_bayes_factor=float((loglik[row, best_alternative] - loglik[row, NORMAL_STATE]) / math.log(10)),
        ))
    calls = _calls(states, loglik, exon_numbers, transcript, settings)
    return SampleCopyNumber(sample, ASSESSED, "", tuple(names[i] for i in chosen), rho, tuple(exons), calls)


def _not_assessed(sample: str, reason: str, exon_numbers: list[int]) -> SampleCopyNumber:
    exons = tuple(ExonCopyNumber(number, NOT_ASSESSED, reason) for number in exon_numbers)
    return SampleCopyNumber(sample, NOT_ASSESSED, reason, (), None, exons, ())


def select_reference_set(test: int, candidates: list[int], names: list[str], corrected: np.ndarray,
                         usable: np.ndarray, is_exon: np.ndarray, settings: CopyNumberSettings) -> list[int]:
    """Most correlated candidates first, added while the test's log-ratio spread keeps improving."""
    columns = usable & is_exon if (usable & is_exon).sum() >= 3 else usable
    columns = columns & ~_batch_outliers(test, corrected, usable)
    logs = np.log(corrected[:, columns] + 1.0)
    correlation = {other: _correlation(logs[test], logs[other]) for other in candidates}
    ranked = sorted(candidates, key=lambda other: (-correlation[other], names[other]))
    chosen = ranked[: settings.min_reference_samples]
    spread = _log_ratio_spread(corrected[test], corrected[chosen], columns)
    for other in ranked[settings.min_reference_samples: settings.max_reference_samples]:
        trial = chosen + [other]
        trial_spread = _log_ratio_spread(corrected[test], corrected[trial], columns)
        if trial_spread >= spread:
            break
        chosen, spread = trial, trial_spread
    return chosen


def _batch_outliers(test: int, corrected: np.ndarray, usable: np.ndarray) -> np.ndarray:
    """Targets where the test sample is far from the batch median: likely its own event.

    They are left out of reference selection; otherwise the candidates that happen to share the test's
    deviation there would be preferred, and the event would be diluted in the ratio.
    """
    sizes = _size_factors(corrected, usable)
    normalised = corrected / sizes[:, None]
    median = np.median(normalised, axis=0)
    ratio = normalised[test] / np.maximum(median, 1e-9)
    outlying = (ratio < REFERENCE_OUTLIER_LOW) | (ratio > REFERENCE_OUTLIER_HIGH)
    return outlying if (usable & ~outlying).sum() >= 3 else np.zeros_like(outlying)


def _correlation(a: np.ndarray, b: np.ndarray) -> float:
    a, b = a - a.mean(), b - b.mean()
    denominator = math.sqrt(float(a @ a) * float(b @ b))
    return float(a @ b) / denominator if denominator > 0 else -1.0


def _log_ratio_spread(test: np.ndarray, references: np.ndarray, columns: np.ndarray) -> float:
    reference_sum = _reference_sum(references, columns)
    values = np.log((test[columns] + 0.5) / (reference_sum[columns] + 0.5))
    return float(np.median(np.abs(values - np.median(values))))


def _reference_sum(references: np.ndarray, usable: np.ndarray) -> np.ndarray:
    """Sum over reference samples, each outlying count (an event in a reference) replaced by the median."""
    if len(references) < 3:
        return references.sum(axis=0)
    sizes = _size_factors(references, usable)
    normalised = references / sizes[:, None]
    median = np.median(normalised, axis=0)
    low, high = REFERENCE_OUTLIER_LOW * median, REFERENCE_OUTLIER_HIGH * median
    outlying = (normalised < low) | (normalised > high)
    robust = np.where(outlying, median[None, :], normalised) * sizes[:, None]
    return robust.sum(axis=0)


def fit_overdispersion(references: np.ndarray, columns: np.ndarray) -> float:
    """Maximum-likelihood intra-class correlation of each reference sample against the sum of the others."""
    if len(references) < 3 or columns.sum() < 3:
        return float(OVERDISPERSION_GRID[len(OVERDISPERSION_GRID) // 2])
    xs, totals, shares = [], [], []
    for index in range(len(references)):
        others = np.delete(references, index, axis=0)
        rest = _reference_sum(others, columns)[columns]
        own = references[index, columns]
        ratio = own / np.maximum(rest, 1e-9)
        scale = float(np.median(ratio))
        if scale <= 0:
            continue
        keep = (ratio > REFERENCE_OUTLIER_LOW * scale) & (ratio < REFERENCE_OUTLIER_HIGH * scale)
        xs.append(own[keep])
        totals.append(own[keep] + rest[keep])
        shares.append(np.full(int(keep.sum()), scale / (1.0 + scale)))
    if not xs:
        return float(OVERDISPERSION_GRID[len(OVERDISPERSION_GRID) // 2])
    x, n, p = np.concatenate(xs), np.concatenate(totals), np.concatenate(shares)
    likelihoods = [float(beta_binomial_logpmf(x, n, p, rho, False).sum()) for rho in OVERDISPERSION_GRID]
    return float(OVERDISPERSION_GRID[int(np.argmax(likelihoods))])


def viterbi(loglik: np.ndarray, transition_probability: float) -> list[int]:
    """Most likely copy-number path over exons (rows), in transcript order."""
    transitions = _log_transitions(transition_probability)
    start = np.log(np.where(np.arange(4) == NORMAL_STATE, 1.0 - transition_probability, transition_probability / 3))
    score = start + loglik[0]
    back = np.zeros(loglik.shape, dtype=int)
    for row in range(1, len(loglik)):
        candidates = score[:, None] + transitions
        back[row] = np.argmax(candidates, axis=0)
        score = candidates[back[row], np.arange(4)] + loglik[row]
    path = [int(np.argmax(score))]
    for row in range(len(loglik) - 1, 0, -1):
        path.append(int(back[row, path[-1]]))
    return path[::-1]


def posterior_probabilities(loglik: np.ndarray, transition_probability: float) -> np.ndarray:
    """Posterior of each copy number per exon given all exons (forward-backward in log space)."""
    transitions = _log_transitions(transition_probability)
    start = np.log(np.where(np.arange(4) == NORMAL_STATE, 1.0 - transition_probability, transition_probability / 3))
    forward = np.zeros(loglik.shape)
    backward = np.zeros(loglik.shape)
    forward[0] = start + loglik[0]
    for row in range(1, len(loglik)):
        forward[row] = _logsumexp(forward[row - 1][:, None] + transitions, axis=0) + loglik[row]
    for row in range(len(loglik) - 2, -1, -1):
        backward[row] = _logsumexp(transitions + (loglik[row + 1] + backward[row + 1])[None, :], axis=1)
    joint = forward + backward
    joint -= _logsumexp(joint, axis=1)[:, None]
    return np.exp(joint)


def _logsumexp(values: np.ndarray, axis: int) -> np.ndarray:
    peak = np.max(values, axis=axis, keepdims=True)
    return (peak + np.log(np.sum(np.exp(values - peak), axis=axis, keepdims=True))).squeeze(axis)


def _log_transitions(q: float) -> np.ndarray:
    """From 2: leave with probability q; from an event: back to 2 at 1/MEAN_EVENT_EXONS, elsewhere at q."""
    matrix = np.full((4, 4), q / 3)
    matrix[NORMAL_STATE] = q / 3
    matrix[NORMAL_STATE, NORMAL_STATE] = 1.0 - q
    for state in COPY_NUMBERS:
        if state != NORMAL_STATE:
            matrix[state, NORMAL_STATE] = 1.0 / MEAN_EVENT_EXONS
            matrix[state, state] = 1.0 - 1.0 / MEAN_EVENT_EXONS - 2 * q / 3
    return np.log(matrix)


def _calls(states: list[int], loglik: np.ndarray, exon_numbers: list[int], transcript: Transcript,
           settings: CopyNumberSettings) -> tuple[CopyNumberCall, ...]:
    by_number: Mapping[int, object] = {exon.number: exon for exon in transcript.exons}
    calls, row = [], 0
    while row < len(states):
        state = states[row]
        if state == NORMAL_STATE:
            row += 1
            continue
        end = row
        while end + 1 < len(states) and states[end + 1] == state:
            end += 1
        rows = range(row, end + 1)
        bayes = float(sum(loglik[r, state] - loglik[r, NORMAL_STATE] for r in rows) / math.log(10))
        if bayes >= settings.min_log10_bayes_factor:
            numbers = tuple(exon_numbers[r] for r in rows)
            exons = [by_number[number] for number in numbers]
            calls.append(CopyNumberCall(
                first_exon=numbers[0], last_exon=numbers[-1], copy_number=state, chrom=transcript.chrom,
                start=min(exon.start for exon in exons), end=max(exon.end for exon in exons),
                log10_bayes_factor=bayes, confidence=HIGH if bayes >= settings.high_confidence_log10_bayes_factor
                else LOW, exons=numbers,
            ))
        row = end + 1
    return tuple(calls)
