"""All tables, importable from one place: ``from shared.models import Ticket``."""

from shared.models.alerts import AlertSubscription, AlertText
from shared.models.base import Base, UTCDateTime, utcnow
from shared.models.booking import Booking, Holiday, SlotTemplate, SlotUsage
from shared.models.devices import Display, Kiosk
from shared.models.health import (
    Doctor,
    DoctorLeave,
    DoctorSchedule,
    DoctorSession,
    Pathway,
    PathwayStep,
    PatientIdentity,
    pathway_step_service,
)
from shared.models.media import UploadedImage
from shared.models.outbox import OutboxMessage
from shared.models.people import PriorityGroup, StaffUser
from shared.models.site import Agency, Counter, Service, Site, counter_service
from shared.models.survey import ReportDaily, ReportDuration, ReportState, SurveyResponse
from shared.models.tickets import (
    AuditLog,
    EventStream,
    Ticket,
    TicketLog,
    TicketSequence,
    Visit,
)
from shared.models.webhooks import Webhook

__all__ = [
    "AlertSubscription",
    "AlertText",
    "Agency",
    "AuditLog",
    "Base",
    "Booking",
    "Holiday",
    "SlotTemplate",
    "SlotUsage",
    "Counter",
    "Display",
    "Doctor",
    "DoctorLeave",
    "DoctorSchedule",
    "DoctorSession",
    "OutboxMessage",
    "PatientIdentity",
    "Pathway",
    "PathwayStep",
    "pathway_step_service",
    "EventStream",
    "Kiosk",
    "PriorityGroup",
    "ReportDaily",
    "ReportDuration",
    "ReportState",
    "Service",
    "Site",
    "StaffUser",
    "SurveyResponse",
    "Ticket",
    "TicketLog",
    "TicketSequence",
    "UploadedImage",
    "UTCDateTime",
    "Visit",
    "Webhook",
    "counter_service",
    "utcnow",
]
