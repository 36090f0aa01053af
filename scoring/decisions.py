"""What an analyst can decide about a claim, and what each decision means to the score.

Two decisions are judgements on the claim as a whole ("confirmed": the attack happened as
claimed; "false": it did not) - they update the channel's track record and are the labels
`claimwatch claims calibrate` learns from. Two record evidence without judging the whole
claim ("corroborated", "contradicted": the verdict's note says what the evidence is) and
enter the claim's own score as factors. "unclear" records that someone looked.
"""

from __future__ import annotations

from collections.abc import Sequence

from storage.records import Verdict

CONFIRMED = "confirmed"
FALSE = "false"
CORROBORATED = "corroborated"
CONTRADICTED = "contradicted"
UNCLEAR = "unclear"
CLAIM_DECISIONS = (CONFIRMED, FALSE, CORROBORATED, CONTRADICTED, UNCLEAR)


def judgement(verdicts: Sequence[Verdict]) -> bool | None:
    """The latest whole-claim judgement: True (confirmed), False (false) or None."""
    for verdict in reversed(verdicts):
        if verdict.decision == CONFIRMED:
            return True
        if verdict.decision == FALSE:
            return False
    return None


def evidence_verdicts(verdicts: Sequence[Verdict]) -> list[Verdict]:
    """Verdicts recording evidence for or against the claim, oldest first."""
    return [v for v in verdicts if v.decision in (CORROBORATED, CONTRADICTED)]
