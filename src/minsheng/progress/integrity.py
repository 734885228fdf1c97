"""Evidence integrity (佐证材料完整性校验): re-hash stored originals against the SHA-256 kept at upload.

Read-only: nothing is changed or deleted; `minsheng evidence-verify` reports and exits 1 on a problem.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from django.core.files.storage import Storage

from minsheng.progress.models import Evidence

CHUNK = 1024 * 1024


@dataclass
class EvidenceProblem:
    """One finding: the evidence row, the file it concerns and what is wrong."""

    evidence_id: int
    report_id: int
    file: str
    problem: str

    def __str__(self) -> str:
        return f"evidence {self.evidence_id} (report {self.report_id}) {self.file}: {self.problem}"


@dataclass
class EvidenceCheck:
    """The outcome of one run: how many rows were checked and what was found."""

    checked: int = 0
    problems: list[EvidenceProblem] = field(default_factory=list)


def _digest(storage: Storage, name: str) -> tuple[str, int]:
    sha = hashlib.sha256()
    size = 0
    with storage.open(name, "rb") as handle:
        while chunk := handle.read(CHUNK):
            sha.update(chunk)
            size += len(chunk)
    return sha.hexdigest(), size


def verify_evidence(*, report_ids: list[int] | None = None) -> EvidenceCheck:
    """Re-hash every original (one query for the rows, then one file read each).

    An original whose bytes no longer give the stored SHA-256 (or size) is "altered"; an original, public
    copy or thumbnail named in the row but absent from storage is "missing".
    """
    rows = Evidence.objects.order_by("pk").only(
        "pk", "report_id", "original", "public_copy", "thumbnail", "sha256", "size"
    )
    if report_ids is not None:
        rows = rows.filter(report_id__in=report_ids)
    result = EvidenceCheck()
    for evidence in rows.iterator(chunk_size=500):
        result.checked += 1
        storage = evidence.original.storage
        name = evidence.original.name
        if not name or not storage.exists(name):
            result.problems.append(EvidenceProblem(evidence.pk, evidence.report_id, name, "original missing"))
        else:
            digest, size = _digest(storage, name)
            if digest != evidence.sha256:
                result.problems.append(
                    EvidenceProblem(
                        evidence.pk,
                        evidence.report_id,
                        name,
                        f"original altered (SHA-256 {digest[:12]}…, stored {evidence.sha256[:12]}…)",
                    )
                )
            elif size != evidence.size:
                result.problems.append(
                    EvidenceProblem(
                        evidence.pk, evidence.report_id, name, f"size {size} ≠ stored {evidence.size}"
                    )
                )
        for label, copy in (("public copy", evidence.public_copy), ("thumbnail", evidence.thumbnail)):
            if copy.name and not copy.storage.exists(copy.name):
                result.problems.append(
                    EvidenceProblem(evidence.pk, evidence.report_id, copy.name, f"{label} missing")
                )
    return result
