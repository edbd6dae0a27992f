"""DNA helpers: complement, translation (standard code) and three-letter amino-acid names."""

from __future__ import annotations

from itertools import product

_COMPLEMENT = str.maketrans("ACGTNacgtn", "TGCANtgcan")
_BASES = "TCAG"
_AMINO = "FFLLSSSSYY**CC*WLLLLPPPPHHQQRRRRIIIMTTTTNNKKSSRRVVVVAAAADDEEGGGG"
CODON_TABLE: dict[str, str] = {
    "".join(codon): amino for codon, amino in zip(product(_BASES, repeat=3), _AMINO, strict=True)
}
THREE_LETTER = {
    "A": "Ala", "R": "Arg", "N": "Asn", "D": "Asp", "C": "Cys", "Q": "Gln", "E": "Glu", "G": "Gly",
    "H": "His", "I": "Ile", "L": "Leu", "K": "Lys", "M": "Met", "F": "Phe", "P": "Pro", "S": "Ser",
    "T": "Thr", "W": "Trp", "Y": "Tyr", "V": "Val", "*": "Ter", "X": "Xaa", "U": "Sec",
}


def reverse_complement(sequence: str) -> str:
    return sequence.translate(_COMPLEMENT)[::-1]


def translate(sequence: str, stop_at_first_stop: bool = False) -> str:
    """Translate whole codons; unknown codons (N, ...) give ``X``."""
    amino_acids = []
    get = CODON_TABLE.get
    for index in range(0, len(sequence) - 2, 3):
        amino = get(sequence[index:index + 3], "X")
        amino_acids.append(amino)
        if stop_at_first_stop and amino == "*":
            break
    return "".join(amino_acids)


def three_letter(peptide: str) -> str:
    return "".join(THREE_LETTER.get(amino, "Xaa") for amino in peptide)
