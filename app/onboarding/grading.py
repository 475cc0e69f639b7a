"""Grading answers against reference answers. Pure: plain data in, plain data out."""

from dataclasses import dataclass

from app.cases.vocabulary import is_key_user, root_cause_required
from app.metrics.accuracy import proportion_interval
from app.metrics.cost import DEFAULT_COSTS, CostTable, decision_cost, worst_cost

# Float slack on "score >= pass mark", so 49/50 meets a stored pass mark of 0.98.
_MARK_TOLERANCE = 1e-12


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
        passed=passes(decision_correct, n, pass_mark, key_user_missed),
    )


def meets_mark(correct: int, n: int, pass_mark: float) -> bool:
    """Whether decision accuracy (correct / n, the score itself, not its interval) is at the pass mark."""
    return n > 0 and correct / n >= pass_mark - _MARK_TOLERANCE


def passes(correct: int, n: int, pass_mark: float, key_user_missed: int) -> bool:
    """The pass rule: decision accuracy at the pass mark, and no Key User case left unescalated."""
    return meets_mark(correct, n, pass_mark) and key_user_missed == 0


@dataclass(frozen=True)
class ExamScore:
    """An exam's decision-accuracy score with its Wilson interval, and each part of the pass rule."""

    correct: int
    n: int
    score: float | None
    low: float | None
    high: float | None
    confidence: float
    pass_mark: float
    meets_mark: bool
    key_user_missed: int
    passed: bool


def exam_score(
    correct: int, n: int, pass_mark: float, key_user_missed: int, confidence: float = 0.95
) -> ExamScore:
    """The score correct / n, its Wilson score interval (how precisely n cases measure the agent's
    accuracy; it does not move the pass rule), and the pass rule's parts."""
    interval = proportion_interval(correct, n, confidence, method="wilson")
    low, high = interval if interval is not None else (None, None)
    return ExamScore(
        correct=correct,
        n=n,
        score=correct / n if n else None,
        low=low,
        high=high,
        confidence=confidence,
        pass_mark=pass_mark,
        meets_mark=meets_mark(correct, n, pass_mark),
        key_user_missed=key_user_missed,
        passed=passes(correct, n, pass_mark, key_user_missed),
    )
