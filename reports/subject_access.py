"""Subject access (Art. 15 GDPR): everything stored about one participant, in one document."""

from django.forms.models import model_to_dict

from participants.models import Participant

# Per enrolment: the related rows a person's data consists of.
ENROLMENT_PARTS = ("integrations", "attendances", "individual_sessions", "applications")


def _plain(row, exclude=("jobcenter",)) -> dict:
    data = model_to_dict(row, exclude=exclude)
    data["id"] = row.pk
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in data.items()}


def subject_data(participant: Participant) -> dict:
    """The participant's data with every enrolment and what hangs off it (a few queries)."""
    enrolments = participant.enrolments.select_related("cohort").prefetch_related(
        "integrations__followups", "attendances__session", "individual_sessions",
        "applications__employer", "applications__steps")
    return {
        "participant": _plain(participant),
        "jobcenter": participant.jobcenter.name,
        "enrolments": [
            {
                **_plain(e),
                "cohort": e.cohort.code,
                "integrations": [{**_plain(i), "followups": [_plain(f) for f in
                                                              i.followups.all()]}
                                 for i in e.integrations.all()],
                "attendances": [{**_plain(a), "date": a.session.held_on.isoformat()}
                                for a in e.attendances.all()],
                "individual_sessions": [_plain(s) for s in e.individual_sessions.all()],
                "applications": [{**_plain(a), "employer": a.employer.name,
                                  "steps": [_plain(s) for s in a.steps.all()]}
                                 for a in e.applications.all()],
            }
            for e in enrolments
        ],
    }
