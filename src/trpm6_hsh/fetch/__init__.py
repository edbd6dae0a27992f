"""Reference data from its public sources (Ensembl, ClinVar, gnomAD) into a local cache, offline-first.

Nothing here runs unless asked: the workflow works from the shipped resources, and ``offline: true``
(the default) forbids any network access during a run. ``trpm6-hsh resources fetch-...`` fills a cache
ahead of time; each fetched release lands in its own folder, written atomically, with a provenance file
(source URL, release, date, SHA-256 of every file). Requests carry only public facts (gene ID, locus
coordinates, release), never anything about a patient.
"""

from trpm6_hsh.fetch.cache import ResourceCache, SourceKind
from trpm6_hsh.fetch.http import FetchError, HttpClient, OfflineError, RetryPolicy
from trpm6_hsh.fetch.sources import SourceUrls

__all__ = ["FetchError", "HttpClient", "OfflineError", "ResourceCache", "RetryPolicy", "SourceKind", "SourceUrls"]
