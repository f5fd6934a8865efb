"""Steps the admission tests repeat, run through the real services with the pipeline's dates."""

import datetime as dt

from admissions import services
from admissions.models import DossierStage, Introduction, ProposedBy

from .conftest import DATES, person

D = dt.date


def branch_vote(pipeline, dossier, **counts):
    """The branch votes on the pipeline's vote date: 6 of 9 in favour unless the test says otherwise."""
    data = dict(members_count=9, in_favour_count=6, against_count=0)
    data.update(counts)
    return services.record_branch_vote(
        actor=pipeline.personas.secretary_a,
        dossier=dossier,
        held_on=pipeline.d["branch_vote_on"],
        resolution_number="07-NQ/CB",
        **data,
    )


def introduce(p, dossier, introducer, actor=None, **kwargs):
    """A full member's introduction (3-KNĐ) on the pipeline's dates, or what the test passes instead."""
    data = dict(kind=Introduction.Kind.MEMBER, introduced_on=p.d["introduced_on"], known_since=p.d["known_since"])
    data.update(kwargs)
    actor = actor or p.personas.secretary_a
    return services.add_introduction(actor=actor, dossier=dossier, introducer=introducer, **data)


def preparing(p, **person_overrides):
    """A dossier being completed, with its résumé received."""
    dossier = p.to(DossierStage.PREPARING, **person_overrides)
    services.record_resume(actor=p.personas.secretary_a, dossier=dossier, submitted_on=p.d["resume_on"])
    return p.refresh()


def shifted_dates(to_branch_vote_on: dt.date) -> dict:
    """The pipeline's dates moved together so that the branch votes on `to_branch_vote_on`."""
    offset = to_branch_vote_on - DATES["branch_vote_on"]
    return {key: day + offset for key, day in DATES.items()}


def into_source_pool(p, **kwargs):
    """A candidate proposed by the Women's Union unless the test says otherwise."""
    data = dict(proposed_by=ProposedBy.WOMENS_UNION, proposed_on=D(2024, 1, 10))
    data.update(kwargs)
    return services.add_to_source_pool(actor=p.personas.secretary_a, branch=p.tree.branch_a, **data, **person())
