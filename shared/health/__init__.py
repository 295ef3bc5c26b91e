"""What a hospital keeps of a visit's patient: identifiers, validated, masked and purged."""

from shared.health.identifiers import (
    InvalidIdentifier,
    check_card_number,
    check_medical_record,
    check_nik,
    mask_identifier,
)
from shared.health.identity import (
    DEFAULT_RETENTION_DAYS,
    identity_json,
    identity_of,
    purge_patient_identities,
    record_patient_identity,
    sees_identity_in_full,
)

__all__ = [
    "DEFAULT_RETENTION_DAYS",
    "InvalidIdentifier",
    "check_card_number",
    "check_medical_record",
    "check_nik",
    "identity_json",
    "identity_of",
    "mask_identifier",
    "purge_patient_identities",
    "record_patient_identity",
    "sees_identity_in_full",
]
