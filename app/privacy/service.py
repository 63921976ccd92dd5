"""Right of access: gather everything recorded about a seeker from every domain."""

from sqlmodel import Session

from app.application import service as application_service
from app.application.models import ApplicationPublic
from app.core.clock import utc_now
from app.next_step import service as next_step_service
from app.privacy.models import SeekerExport
from app.rejection import service as rejection_service
from app.seeker.models import Seeker, SeekerPublic


def export_seeker(session: Session, *, seeker: Seeker) -> SeekerExport:
    """One document holding the seeker and all their records, oldest first."""
    applications = application_service.list_all_for_seeker(session, seeker_id=seeker.id)
    rejections = rejection_service.list_all_for_seeker(session, seeker_id=seeker.id)
    steps = next_step_service.list_all_for_seeker(session, seeker_id=seeker.id)
    return SeekerExport(
        exported_at=utc_now(),
        seeker=SeekerPublic.model_validate(seeker),
        applications=[ApplicationPublic.model_validate(a) for a in applications],
        rejections=[rejection_service.to_public(r) for r in rejections],
        next_steps=[next_step_service.to_public(s) for s in steps],
    )
