"""State changes of admission dossiers, one module per part of the pipeline (all re-exported here)."""

from .dossier import (
    add_introduction,
    add_to_source_pool,
    certify_resume,
    put_on_sympathizer_list,
    record_application,
    record_certificate,
    record_opinion,
    record_province_consent,
    record_resume,
    record_verification_request,
    record_verification_result,
    stamp_resume,
    summarize_opinions,
)
from .overdue import record_overdue_dossiers
from .plans import save_admission_plan
from .probation import (
    record_ceremony,
    record_new_member_course,
    record_recognition_base_vote,
    record_recognition_branch_vote,
    record_recognition_decision,
    record_recognition_paper,
)
from .votes import (
    close_dossier,
    extend_decision_deadline,
    record_admission_decision,
    record_base_committee_vote,
    record_branch_vote,
    record_decision_received,
)

__all__ = [
    "add_introduction",
    "add_to_source_pool",
    "certify_resume",
    "close_dossier",
    "extend_decision_deadline",
    "put_on_sympathizer_list",
    "record_admission_decision",
    "record_application",
    "record_base_committee_vote",
    "record_branch_vote",
    "record_ceremony",
    "record_certificate",
    "record_decision_received",
    "record_new_member_course",
    "record_opinion",
    "record_overdue_dossiers",
    "record_province_consent",
    "record_recognition_base_vote",
    "record_recognition_branch_vote",
    "record_recognition_decision",
    "record_recognition_paper",
    "record_resume",
    "record_verification_request",
    "record_verification_result",
    "save_admission_plan",
    "stamp_resume",
    "summarize_opinions",
]
