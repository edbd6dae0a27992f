"""Peer-annotator harness for the tests (and scripts/benchmark_annotator.py): run bcftools csq and SnpEff
offline (:mod:`.runners`) and compare their consequence sets with the built-in annotator's (:mod:`.compare`).
Test-only: the package never imports it.
"""
