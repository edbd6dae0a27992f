"""The one home of build facts: chr9 lengths, inference from a length or a header line, parsing."""

from __future__ import annotations

import pytest

from trpm6_hsh.errors import ConfigError, InputError
from trpm6_hsh.genome_build import (
    CHR9_LENGTHS,
    assembly_for_length,
    build_for_length,
    build_named_in,
    parse_build,
)
from trpm6_hsh.model import Build


def test_every_build_has_a_chr9_length_and_is_found_by_it():
    assert set(CHR9_LENGTHS) == set(Build)
    for build, length in CHR9_LENGTHS.items():
        for contig in ("chr9", "9", "CHR9"):
            assert build_for_length(contig, length) is build
            assert assembly_for_length(contig, length) == build.value


def test_unknown_lengths_and_other_contigs_name_no_build():
    assert build_for_length("chr9", 1_000) is None
    assert build_for_length("chr1", CHR9_LENGTHS[Build.GRCH38]) is None
    assert build_for_length("chr9", None) is None
    assert assembly_for_length("chr19", CHR9_LENGTHS[Build.GRCH37]) is None


def test_an_unsupported_assembly_is_named_but_is_no_build():
    assert assembly_for_length("chr9", 150_617_247) == "T2T-CHM13"
    assert build_for_length("chr9", 150_617_247) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [("file:///refs/GRCh38.fa", Build.GRCH38), ("hg19", Build.GRCH37), ("human_g1k_v37 b37", Build.GRCH37),
     ("HG38", Build.GRCH38), ("mm10", None)],
)
def test_a_reference_line_names_its_build(text, expected):
    assert build_named_in(text) is expected


def test_parse_build_returns_the_enum_or_names_the_builds():
    assert parse_build("GRCh37") is Build.GRCH37
    assert parse_build(Build.GRCH38) is Build.GRCH38
    with pytest.raises(InputError, match=r"--build: unknown build 'hg19'\. Fix: use one of GRCh38, GRCh37"):
        parse_build("hg19")
    with pytest.raises(ConfigError, match="set reference.build to one of GRCh38, GRCh37"):
        parse_build("x", "config reference.build", ConfigError, fix="set reference.build to")
