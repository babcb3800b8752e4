"""Drafts, versions, figures from the registers, issuing and numbering (below HTTP)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from dxboard.committee_reports import content, services, sources
from dxboard.committee_reports.models import CommitteeReport, NumberSeries
from dxboard.committee_reports.tests.factories import DIRECTIONS, SHORTCOMINGS, make_report
from dxboard.community import services as community
from dxboard.community.tests.factories import make_team
from dxboard.errors import Conflict, Forbidden, InvalidInput, NotFound
from dxboard.evaluation.tests.factories import make_programme, put
from dxboard.feedback.models import Status
from dxboard.feedback.tests.factories import at, make_category, walk_to
from dxboard.feedback.tests.factories import make_report as make_field_report
from dxboard.projects.tests.factories import make_item, make_plan

pytestmark = pytest.mark.django_db
NBSP = "\u00a0"


def _text(user, report) -> str:
    document = services.build_document(user, report)
    return "\n".join(block.text for block in document.blocks)


def test_an_issued_report_does_not_change_when_a_value_is_corrected(world):
    report = make_report(world)
    issued = services.issue(world.province_officer, report, issued_on=dt.date(2026, 1, 5))
    pdf, docx = bytes(issued.pdf), bytes(issued.docx)
    before = _text(world.province_officer, issued)
    assert "69,4" in "\n".join(
        r.actual for r in services.build_document(None, issued).appendix_rows
    )
    put(("CQ-T1-TU", "99001", "2024Q1", 1500))  # a correction after the meeting
    again = services.get_report(world.province_officer, issued.pk)
    assert _text(world.province_officer, again) == before
    assert services.document(world.province_officer, again, "pdf") == pdf
    assert services.document(world.province_officer, again, "docx") == docx
    rows = services.build_document(world.province_officer, again).appendix_rows
    assert rows[0].actual == "69,4"


def test_a_draft_reads_live_figures(world):
    report = make_report(world)
    put(("CQ-T1-TU", "99001", "2024Q1", 1500))
    rows = services.build_document(world.province_officer, report).appendix_rows
    assert rows[0].actual == "80,0"  # (1.500 + 500) / 2.500


def test_numbers_follow_one_series_per_body_and_year_and_are_never_reused(world):
    first = services.issue(
        world.province_officer, make_report(world), issued_on=dt.date(2026, 1, 5)
    )
    second = services.issue(
        world.province_officer, make_report(world, period="2024Q2"), issued_on=dt.date(2026, 2, 1)
    )
    next_year = services.issue(
        world.province_officer, make_report(world, period="2024Q3"), issued_on=dt.date(2027, 1, 2)
    )
    assert (first.number, second.number, next_year.number) == (1, 2, 1)
    assert first.number_text == "01/BC-BCĐ" and next_year.number_year == 2027
    assert NumberSeries.objects.get(body=first.body, year=2026).last_number == 2


def test_a_second_issue_of_the_same_draft_is_refused_and_keeps_its_number(world):
    report = make_report(world)
    services.issue(world.province_officer, report)
    with pytest.raises(Conflict) as error:
        services.issue(world.province_officer, report)
    assert "01/BC-BCĐ" in error.value.message
    assert NumberSeries.objects.get().last_number == 1
    with pytest.raises(Conflict):
        services.save_draft(world.province_officer, report, shortcomings="Sửa sau khi ban hành")


def test_a_report_without_its_narrative_is_not_issued(world):
    report = make_report(world, written=False)
    with pytest.raises(InvalidInput) as error:
        services.issue(world.province_officer, report)
    assert {d.path for d in error.value.details} == {"shortcomings", "directions"}
    assert not NumberSeries.objects.exists()


def test_pasted_control_characters_are_removed_and_a_50000_character_text_is_refused(world):
    report = make_report(world)
    saved = services.save_draft(
        world.province_officer,
        report,
        shortcomings="Dòng một\x0b\x0c còn lỗi\x00.\r\nDòng hai.",
        subject="Báo cáo\tquý I\x07",
    )
    assert saved.shortcomings == "Dòng một còn lỗi.\nDòng hai."
    assert saved.subject == "Báo cáo quý I"
    with pytest.raises(InvalidInput) as error:
        services.save_draft(world.province_officer, report, directions="x" * 50_000)
    (detail,) = error.value.details
    assert detail.path == "directions"
    assert detail.message == "Phương hướng, nhiệm vụ: tối đa 20.000 ký tự (đã nhập 50.000)."
    assert CommitteeReport.objects.get(pk=report.pk).directions == DIRECTIONS
    # The files are still well formed with what was pasted.
    assert services.document(world.province_officer, saved, "docx")[:2] == b"PK"


def test_each_change_of_the_narrative_is_a_version_that_can_be_restored(world):
    report = make_report(world)
    services.save_draft(world.province_officer, report, shortcomings="Bản thứ ba.")
    numbers = list(report.versions.values_list("number", flat=True))
    assert numbers == [3, 2, 1]
    services.save_draft(world.province_officer, report, signer_name="Trần Thị B")
    assert report.versions.count() == 3  # a signer's name is not a narrative version
    restored = services.restore_version(world.province_officer, report, 2)
    assert restored.shortcomings == SHORTCOMINGS
    assert report.versions.first().author == world.province_officer


def test_a_new_draft_starts_from_the_previous_periods_text(world):
    make_report(world)
    following = services.create_report(world.province_officer, "CT-WEB", "99", "2024Q2")
    assert following.shortcomings == SHORTCOMINGS and following.directions == DIRECTIONS
    blank = services.create_report(
        world.province_officer, "CT-WEB", "99", "2024Q3", from_previous=False
    )
    assert blank.shortcomings == ""


def test_a_second_draft_for_the_same_period_is_refused(world):
    make_report(world)
    with pytest.raises(Conflict):
        services.create_report(world.province_officer, "CT-WEB", "99", "2024Q1")


def test_only_quarters_half_years_and_years_are_report_periods(world):
    make_report(world)
    with pytest.raises(InvalidInput) as error:
        services.create_report(world.province_officer, "CT-WEB", "99", "202403")
    assert error.value.details[0].path == "period"
    with pytest.raises(InvalidInput):
        services.create_report(world.province_officer, "CT-WEB", "99", "2024Q7")


def test_who_may_draft_issue_and_read(world):
    report = make_report(world)
    with pytest.raises(NotFound):
        services.get_report(world.officer_b, report.pk)
    with pytest.raises(Forbidden):
        services.save_draft(world.viewer, report, shortcomings="Không được sửa")
    with pytest.raises(Forbidden):
        services.issue(world.viewer, report)
    assert services.get_report(world.viewer, report.pk) == report
    assert list(services.list_reports(world.officer_b)) == []


def test_a_period_with_no_data_gives_a_well_formed_report_that_says_so(world):
    report = make_report(world, period="2022Q1")
    text = _text(world.province_officer, report)
    assert "kỳ này chưa có số liệu để đánh giá" in text
    assert "Phản ánh hiện trường: chưa có số liệu." in text
    for fmt in ("docx", "pdf"):
        assert services.document(world.province_officer, report, fmt)


def test_a_programme_without_targets_says_it_has_no_indicators(world):
    make_programme("99", [], code="CT-RONG")
    report = services.create_report(world.province_officer, "CT-RONG", "99", "2024")
    text = _text(world.province_officer, report)
    assert "Chương trình chưa có chỉ tiêu nào được giao." in text
    assert services.document(world.province_officer, report, "docx")[:2] == b"PK"


def test_the_figures_part_reports_the_registers_in_the_seeds_sentences(world):
    category = make_category(agency=world.agency)
    for day in (5, 6, 7):
        field_report = make_field_report(world, category=category, now=at(2024, 2, day, 9))
        if day != 7:
            walk_to(field_report, Status.RESOLVED, world.handler, now=at(2024, 2, day, 10))
    team = make_team(world.hamlet_a, name="Tổ CNSCĐ Ấp Một")
    for n in range(3):
        community.add_member(
            world.admin, team, full_name=f"Thành viên {n}", joined_on=dt.date(2023, 6, 1)
        )
    plan = make_plan(world.province, year_from=2024, year_to=2024)
    make_item(
        plan,
        world.agency,
        start_date=dt.date(2024, 1, 1),
        deadline=dt.date(2024, 12, 31),
        planned_budget=56_800_000_000,
        disbursed_budget=1_200_000_000,
    )
    report = make_report(world)
    text = _text(world.province_officer, report)
    assert "Hệ thống tiếp nhận 3 phản ánh hiện trường, đã xử lý 2" in text
    assert f"trong đó 2 phản ánh đúng hạn (100,0{NBSP}%)" in text
    assert "Có 1 Tổ công nghệ số cộng đồng với 3 thành viên, hoạt động tại 1/2 thôn, ấp" in text
    assert "Có 1 dự án chuyển đổi số, tổng kinh phí kế hoạch 56,8 tỷ đồng" in text
    assert "đã giải ngân 1,2 tỷ đồng" in text


def test_the_report_counts_the_forms_with_complete_figures(world, monkeypatch):
    report = make_report(world)
    form = SimpleNamespace(pk=1, name="Biểu mẫu A", period_type="quarter", code="A")
    other = SimpleNamespace(pk=2, name="Biểu mẫu B", period_type="quarter", code="B")

    class Item:
        def __init__(self, form, complete):
            self.form, self.expected, self.complete = form, 2, complete

    monkeypatch.setattr(
        sources, "completeness", lambda user, pairs, within: [Item(form, True), Item(other, False)]
    )
    text = _text(world.province_officer, report)
    assert "1/2 biểu mẫu có đủ số liệu; 1 biểu mẫu còn đang cập nhật (Biểu mẫu B)." in text


def _published_scorecard(world, year: int):
    """Province 99's commune set of `year`, scored and published through its services:
    Xã An Bình 180/200 points, Phường Đông Hòa 175/200."""
    from dxboard.scorecards import services as scorecards
    from dxboard.scorecards.tests.factories import make_scorecard

    scorecard = make_scorecard(world, code=f"XA-{year}", year=year)
    for code, meetings in (("99001", 4), ("99002", 3)):
        scorecards.save_scores(
            world.admin,
            scorecard,
            [
                {"unit": code, "criterion": "NT-1", "value": meetings},
                {"unit": code, "criterion": "NT-2", "value": "chu_tich"},
                {"unit": code, "criterion": "NT-3", "value": 1},
                {"unit": code, "criterion": "NT-4", "numerator": 1, "denominator": 2},
                {"unit": code, "criterion": "NT-5", "points": 10},
                {"unit": code, "criterion": "CQ-1", "value": 40},
                {"unit": code, "criterion": "CQ-2", "value": 0},
                {"unit": code, "criterion": "TT-1", "value": 12},
            ],
        )
    for participant in scorecard.participants.select_related("unit"):
        scorecards.submit(world.admin, scorecard, participant.unit.code)
    scorecards.start_review(world.admin, scorecard)
    scorecards.confirm(world.admin, scorecard, "Quyết định 1/QĐ-HĐTĐ")
    scorecards.publish(world.admin, scorecard)
    return scorecard


def test_the_ranking_section_reads_the_published_scorecard_results(world):
    report = make_report(world)
    assert "Xếp hạng" not in _text(world.province_officer, report)
    _published_scorecard(world, 2024)
    text = _text(world.province_officer, report)
    assert "7. Xếp hạng chuyển đổi số" in text
    assert "1. Xã An Bình: 180,00/200 điểm; 2. Phường Đông Hòa: 175,00/200 điểm" in text
    # The figures name the set each rank belongs to (a department set ranks apart).
    ranking = services.report_figures(world.province_officer, report)["ranking"]
    assert [(r["set"], r["rank"], r["unitName"]) for r in ranking] == [
        ("XA-2024", 1, "Xã An Bình"),
        ("XA-2024", 2, "Phường Đông Hòa"),
    ]


def test_another_years_scorecard_is_not_in_the_ranking(world):
    _published_scorecard(world, 2025)
    assert "Xếp hạng" not in _text(world.province_officer, make_report(world))
    assert sources.scorecard_results(world.province, 2025)[0].unit_name == "Xã An Bình"


def test_the_period_is_written_as_reports_write_it():
    from dxboard.periods import parse_period

    assert content.period_phrase(parse_period("2026Q1")) == "quý I năm 2026"
    assert content.period_phrase(parse_period("2026S2")) == "6 tháng cuối năm 2026"
    assert content.period_phrase(parse_period("2026")) == "năm 2026"
    assert content.default_subject(parse_period("2025Q4")) == (
        "Kết quả thực hiện chuyển đổi số quý IV năm 2025, phương hướng, nhiệm vụ quý I năm 2026"
    )


def test_a_commune_board_reports_with_its_own_number_series(world):
    province = make_report(world)
    commune = services.create_report(world.province_officer, "CT-WEB", "99001", "2024Q1")
    commune = services.save_draft(
        world.province_officer, commune, shortcomings=SHORTCOMINGS, directions=DIRECTIONS
    )
    assert commune.body.unit == world.commune_a
    assert commune.body.parent_name == "UBND XÃ AN BÌNH" and commune.body.place == "An Bình"
    issued = services.issue(world.province_officer, commune, issued_on=dt.date(2026, 1, 5))
    assert issued.number == 1
    assert (
        services.issue(world.province_officer, province, issued_on=dt.date(2026, 1, 5)).number == 1
    )


def _figures(**changes):
    """Figures as `figures.collect` stores them, for the sentences alone."""
    data = {
        "period": {"code": "2024", "type": "year"},
        "thresholds": ["100", "70", "50"],
        "summary": {"total": 1, "buckets": [1, 0, 0, 0], "noData": 0, "noTarget": 0},
        "indicators": [
            {
                "code": "T",
                "name": "Tỷ lệ hồ sơ giải quyết trễ hạn",
                "unit": "%",
                "decimals": 1,
                "actual": "2.9157966330386057736256541",
                "target": "3.2",
                "achievement": "109.7",
                "status": 0,
            }
        ],
        "completeness": {"forms": 0, "complete": 0, "incomplete": []},
    }
    return data | changes


def test_a_highlighted_indicator_is_written_with_its_own_decimals():
    """The demo's report read "đạt 2,9157966330386057736256541 %/3,2 %"."""
    text = "\n".join(b.text for b in content._indicator_sentences(_figures(), "năm 2024"))
    assert f"Tỷ lệ hồ sơ giải quyết trễ hạn đạt 2,9{NBSP}%/3,2{NBSP}%" in text


def test_a_long_list_of_incomplete_forms_names_the_first_five():
    names = [f"Biểu mẫu {n}" for n in range(1, 19)]
    data = _figures(completeness={"forms": 20, "complete": 2, "incomplete": names})
    [block] = content._completeness_sentences(data)
    assert block.text == (
        "2/20 biểu mẫu có đủ số liệu; 18 biểu mẫu còn đang cập nhật (Biểu mẫu 1; Biểu mẫu 2; "
        "Biểu mẫu 3; Biểu mẫu 4; Biểu mẫu 5; …)."
    )


def test_units_with_the_same_share_met_lag_by_their_mean_achievement(world):
    """The demo's communes all met 0 of 24: "the units that lag most" were the first five
    in the unit order. Among equal shares, the lowest mean achievement comes first."""
    from dxboard.evaluation.tests.factories import ratio

    make_programme("99", [ratio("LAG")], [("LAG", 2024, 80)], code="CT-LAG")
    put(
        ("LAG-TU", "99001", "2024Q1", 30),
        ("LAG-MAU", "99001", "2024Q1", 100),
        ("LAG-TU", "99002", "2024Q1", 60),
        ("LAG-MAU", "99002", "2024Q1", 100),
    )
    report = services.create_report(world.province_officer, "CT-LAG", "99", "2024Q1")
    lagging = services.report_figures(world.province_officer, report)["lagging"]
    assert [(row["name"], row["met"], row["scored"]) for row in lagging] == [
        ("Xã An Bình", 0, 1),
        ("Phường Đông Hòa", 0, 1),
    ]


def test_the_ranking_names_ten_ranks_per_set_and_reads_reports_issued_before_sets():
    rows = [
        {"set": "XA", "rank": n, "unitName": f"Xã {n}", "points": "90", "maxPoints": "100"}
        for n in range(1, 13)
    ]
    rows.append({"set": "SO", "rank": 1, "unitName": "Sở A", "points": "80", "maxPoints": "100"})
    first, second = content._ranking_sentences({"ranking": rows})
    assert first.text.startswith("Kết quả xếp hạng theo bộ chỉ số XA: 1. Xã 1: 90,00/100 điểm")
    assert "10. Xã 10" in first.text and "11. Xã 11" not in first.text
    assert first.text.endswith("; … (12 đơn vị được xếp hạng).")
    assert second.text == "Kết quả xếp hạng theo bộ chỉ số SO: 1. Sở A: 80,00/100 điểm."
    # Figures stored by an issued report before the set was kept: one sentence, no set.
    old = [{"rank": 1, "unitName": "Xã 1", "points": "90", "maxPoints": "100"}]
    [block] = content._ranking_sentences({"ranking": old})
    assert block.text == "Kết quả xếp hạng: 1. Xã 1: 90,00/100 điểm."


def test_characters_xml_cannot_hold_are_removed_from_every_text(world):
    """U+FFFE, U+FFFF and a lone surrogate (pasted from a broken file) are not XML
    characters: the Word file, the PDF and the stored draft must not carry them."""
    report = make_report(world)
    saved = services.save_draft(
        world.province_officer,
        report,
        shortcomings="Một\ufffe hai\uffff ba\ud800.",
        subject="Báo cáo\ufffe quý I",
        signer_name="Nguyễn\uffff Văn An",
        recipients="UBND tỉnh\ud800",
    )
    assert saved.shortcomings == "Một hai ba."
    assert saved.subject == "Báo cáo quý I"
    assert saved.signer_name == "Nguyễn Văn An" and saved.recipients == "UBND tỉnh"
    assert services.document(world.province_officer, saved, "docx")[:2] == b"PK"
    assert services.document(world.province_officer, saved, "pdf")[:4] == b"%PDF"
