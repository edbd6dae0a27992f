"""Exon-level copy number of TRPM6 from read depth (deletions and duplications of one or more exons)."""
