"""Grading answers against reference answers. Pure: plain data in, plain data out."""

from dataclasses import dataclass

from app.cases.vocabulary import is_key_user, root_cause_required
from app.metrics.cost import DEFAULT_COSTS, CostTable, decision_cost, worst_cost


@dataclass(frozen=True)
class Answer:
    decision: str | None
    label: str | None
    root_cause: str | None


@dataclass(frozen=True)
class ItemGrade:
    """Which parts of one answer were right; root cause is only scored where the reference is FP or FN."""

    decision_ok: bool
    label_ok: bool
    root_cause_ok: bool | None
    key_user_missed: bool
    cost: float


@dataclass(frozen=True)
class AttemptGrade:
    n: int
    decision_correct: int
    label_correct: int
    root_cause_correct: int
    root_cause_total: int
    cost_total: float
    cost_normalised: float | None
    key_user_missed: int
    passed: bool

    @property
    def decision_accuracy(self) -> float | None:
        return self.decision_correct / self.n if self.n else None

    @property
    def label_accuracy(self) -> float | None:
        return self.label_correct / self.n if self.n else None

    @property
    def root_cause_accuracy(self) -> float | None:
        return self.root_cause_correct / self.root_cause_total if self.root_cause_total else None


def grade_item(
    given: Answer, reference: Answer, priority: int, costs: CostTable = DEFAULT_COSTS
) -> ItemGrade:
    """Score one answer. An unanswered case is wrong everywhere and costs the worst mistake."""
    scored_root_cause = reference.label is not None and root_cause_required(reference.label)
    cost = (
        worst_cost(reference.decision, costs)
        if given.decision is None
        else decision_cost(reference.decision, given.decision, costs)
    )
    return ItemGrade(
        decision_ok=given.decision == reference.decision,
        label_ok=given.label == reference.label,
        root_cause_ok=(given.root_cause == reference.root_cause) if scored_root_cause else None,
        key_user_missed=is_key_user(priority) and given.decision != "escalate",
        cost=cost,
    )


def grade_attempt(
    items: list[tuple[Answer, Answer, int]], pass_mark: float, costs: CostTable = DEFAULT_COSTS
) -> AttemptGrade:
    """Grade an exam: (given, reference, priority) per case. Passing needs decision accuracy at the pass
    mark and every Key User case escalated, whatever the percentage."""
    grades = [grade_item(given, reference, priority, costs) for given, reference, priority in items]
    n = len(grades)
    worst = sum(worst_cost(reference.decision, costs) for _given, reference, _priority in items)
    decision_correct = sum(g.decision_ok for g in grades)
    key_user_missed = sum(g.key_user_missed for g in grades)
    cost_total = sum(g.cost for g in grades)
    return AttemptGrade(
        n=n,
        decision_correct=decision_correct,
        label_correct=sum(g.label_ok for g in grades),
        root_cause_correct=sum(1 for g in grades if g.root_cause_ok),
        root_cause_total=sum(1 for g in grades if g.root_cause_ok is not None),
        cost_total=cost_total,
        cost_normalised=cost_total / worst if worst else None,
        key_user_missed=key_user_missed,
        passed=n > 0 and decision_correct / n >= pass_mark - 1e-12 and key_user_missed == 0,
    )
