"""Right of access: gather everything recorded about a seeker from every domain."""

import json

from sqlmodel import Session

from app.application import service as application_service
from app.application.models import ApplicationPublic
from app.core.clock import utc_now
from app.goal import service as goal_service
from app.goal.models import CheckInPublic
from app.idempotency import service as idempotency_service
from app.next_step import service as next_step_service
from app.privacy.models import FindingPublic, SeekerExport, StoredResponsePublic
from app.rejection import service as rejection_service
from app.seeker.models import Seeker, SeekerPublic


def export_seeker(session: Session, *, seeker: Seeker) -> SeekerExport:
    """One document holding the seeker and all their records, oldest first."""
    applications = application_service.list_all_for_seeker(session, seeker_id=seeker.id)
    rejections = rejection_service.list_all_for_seeker(session, seeker_id=seeker.id)
    steps = next_step_service.list_all_for_seeker(session, seeker_id=seeker.id)
    goals, check_ins = goal_service.export_goals(session, seeker=seeker)
    findings = next_step_service.findings_of_seeker(session, seeker_id=seeker.id)
    stored = idempotency_service.records_about(
        session, tenant_id=seeker.tenant_id, seeker_id=seeker.id
    )
    return SeekerExport(
        exported_at=utc_now(),
        seeker=SeekerPublic.model_validate(seeker),
        applications=[ApplicationPublic.model_validate(a) for a in applications],
        rejections=[rejection_service.to_public(r) for r in rejections],
        next_steps=[next_step_service.to_public(s) for s in steps],
        goals=goals,
        check_ins=[CheckInPublic.model_validate(c) for c in check_ins],
        findings=[FindingPublic.model_validate(f) for f in findings],
        stored_responses=[
            StoredResponsePublic(
                idempotency_key=r.key,
                status=r.status_code,
                body=_parsed(idempotency_service.replay_body(r)),
                created_at=r.created_at,
                expires_at=r.expires_at,
            )
            for r in stored
        ],
    )


def _parsed(body: bytes) -> object:
    """A stored response body as JSON (they all are), or as text should one not be."""
    try:
        return json.loads(body)
    except ValueError:
        return body.decode(errors="replace")
