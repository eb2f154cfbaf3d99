"""What-if simulation (issue 3 `simulate`): households gaining and losing, cost change."""

from bangfu.policy.engine import frames_from_documents, simulate
from bangfu.policy.tests.util import ON, household, params, person, wage


def test_raising_the_standard_by_ten_percent():
    # given: rural standard 650 → +10 % = 715
    docs = [
        household(person(40), incomes=[wage("600.00")]),   # 50.00 → 115.00 (up)
        household(person(40), incomes=[wage("700.00")]),   # 0 → 15.00 (gains)
        household(person(40), incomes=[wage("800.00")]),   # 0 → 0
    ]
    frames, _, _ = frames_from_documents(docs)
    # when
    diff, by_township = simulate(frames, ON, params(), {"dibao_standard_rural": "+10%"})
    # then
    assert diff.sort("household_id")["change"].to_list() == ["up", "gains", None]
    row = by_township.row(0, named=True)
    assert row["township"] == "990101001"
    assert (row["gains"], row["loses"], row["up"]) == (1, 0, 1)
    assert row["monthly_change_fen"] == (11500 - 5000) + 1500
    assert row["annual_change_fen"] == 12 * 8000
