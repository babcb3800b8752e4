"""The default indicator catalogue: 52 indicators and their data elements.

A ratio indicator's data elements are named `<code>-TU` (numerator) and `<code>-MAU`
(denominator), except where other apps write computed values and the codes are fixed
(CQ-11, CQ-12, CQ-13, NL-02, XH-08). `catalogue_document()` returns the catalogue in
the metadata import shape, so `load_catalogue` goes through the same importer.

Time rules: flows (dossiers received, people trained) add up over sub-periods ("sum");
stocks (households, population, systems in operation) take the latest sub-period ("last").
"""

from __future__ import annotations

from typing import Any, NamedTuple

SUM, LAST, AVERAGE = "sum", "last", "average"


class Entry(NamedTuple):
    code: str
    name: str
    name_en: str
    pillar: str
    unit: str
    numerator: str  # name of the numerator (or single) data element
    denominator: str | None  # name of the denominator data element; None for a single one
    time: tuple[str, str] = (LAST, LAST)  # time rule of numerator and denominator
    direction: str = "up"
    source: str = ""
    value_type: str = "integer"
    units_rule: str = "sum"
    factor: int | None = None


FIXED_CODES = {
    "CQ-11": ("CQ-11-DAXL", "CQ-11-TIEPNHAN"),
    "CQ-12": ("CQ-12-DUNGHAN", "CQ-12-DAXL"),
    "CQ-13": ("CQ-13-HAILONG", "CQ-13-DANHGIA"),
    "NL-02": ("NL-02-THANHVIEN", "NL-02-DANSO"),
    "XH-08": ("XH-08-COTO", "XH-08-TONG"),
}

FLOW = (SUM, SUM)
TRAINED = (SUM, LAST)

ENTRIES: list[Entry] = [
    # Nền tảng – Nhận thức số
    Entry(
        "NT-02",
        "Số cuộc họp Ban Chỉ đạo chuyển đổi số trong năm",
        "Steering committee meetings in the year",
        "nhan_thuc",
        "cuộc họp",
        "Số cuộc họp BCĐ CĐS",
        None,
        (SUM, SUM),
        source="Bảng điểm cấp huyện",
    ),
    Entry(
        "NT-03",
        "Tỷ lệ cuộc họp chuyển đổi số do Bí thư/Chủ tịch chủ trì",
        "DX meetings chaired by the head",
        "nhan_thuc",
        "%",
        "Số cuộc họp CĐS do Bí thư/Chủ tịch chủ trì",
        "Tổng số cuộc họp CĐS",
        FLOW,
        source="Bảng điểm cấp huyện",
    ),
    Entry(
        "NT-04",
        "Tỷ lệ văn bản chỉ đạo chuyên đề chuyển đổi số do người đứng đầu ký",
        "Thematic DX directives signed by the head",
        "nhan_thuc",
        "%",
        "Số văn bản chỉ đạo CĐS do người đứng đầu ký",
        "Số văn bản chỉ đạo CĐS tỉnh yêu cầu",
        FLOW,
        source="Bảng điểm cấp huyện",
    ),
    Entry(
        "NT-05",
        "Cổng/Trang thông tin điện tử có chuyên mục chuyển đổi số",
        "Portal has a DX section",
        "nhan_thuc",
        "có/không",
        "Có chuyên mục CĐS trên cổng/trang TTĐT",
        None,
        (LAST, LAST),
        source="Bảng điểm cấp huyện",
        value_type="boolean",
        units_rule="average",
    ),
    # Nền tảng – Thể chế số
    Entry(
        "TC-01",
        "Ban hành kế hoạch chuyển đổi số năm đúng hạn",
        "Annual DX plan issued on time",
        "the_che",
        "có/không",
        "Đã ban hành kế hoạch CĐS năm",
        None,
        (LAST, LAST),
        source="Kế hoạch 2023 của UBQG CĐS",
        value_type="boolean",
        units_rule="average",
    ),
    Entry(
        "TC-02",
        "Mức độ hoàn thành kế hoạch chuyển đổi số năm",
        "Completion of the annual DX plan",
        "the_che",
        "%",
        "Số nhiệm vụ hoàn thành đúng hạn",
        "Số nhiệm vụ trong kế hoạch năm",
        (SUM, LAST),
        source="Bộ chỉ số Hà Nội 2025",
    ),
    Entry(
        "TC-03",
        "Tỷ lệ cơ quan nhà nước cung cấp dữ liệu mở",
        "Agencies publishing open data",
        "the_che",
        "%",
        "Số cơ quan công bố dữ liệu mở",
        "Tổng số cơ quan",
        source="Kế hoạch Gia Lai 2023",
    ),
    # Nền tảng – Hạ tầng số
    Entry(
        "HT-01",
        "Tỷ lệ hộ gia đình có Internet băng rộng cáp quang",
        "Households with fibre broadband",
        "ha_tang",
        "%",
        "Số hộ gia đình có cáp quang (FTTH)",
        "Tổng số hộ gia đình",
        source="411/QĐ-TTg; Kế hoạch 2023",
    ),
    Entry(
        "HT-02",
        "Tỷ lệ hộ gia đình có kết nối Internet",
        "Households with Internet access",
        "ha_tang",
        "%",
        "Số hộ gia đình có kết nối Internet",
        "Tổng số hộ gia đình",
        source="Tổng cục Thống kê",
    ),
    Entry(
        "HT-03",
        "Tỷ lệ thôn, bản được phủ sóng di động băng rộng",
        "Villages with mobile broadband",
        "ha_tang",
        "%",
        "Số thôn có sóng di động băng rộng",
        "Tổng số thôn",
        source="Kế hoạch Xuân Trúc",
    ),
    Entry(
        "HT-04",
        "Tỷ lệ thôn được phủ băng rộng cố định cáp quang",
        "Villages reached by fibre",
        "ha_tang",
        "%",
        "Số thôn có cáp quang",
        "Tổng số thôn",
        source="Kế hoạch Xuân Trúc",
    ),
    Entry(
        "HT-05",
        "Tỷ lệ thuê bao di động sử dụng điện thoại thông minh",
        "Mobile subscriptions on smartphones",
        "ha_tang",
        "%",
        "Số thuê bao dùng điện thoại thông minh",
        "Tổng số thuê bao di động",
        source="Kế hoạch 2023 của UBQG CĐS",
    ),
    Entry(
        "HT-06",
        "Thuê bao băng rộng cố định trên 100 dân",
        "Fixed broadband subscriptions per 100 inhabitants",
        "ha_tang",
        "thuê bao/100 dân",
        "Số thuê bao băng rộng cố định",
        "Dân số",
        source="Bộ TT&TT 2023",
        factor=100,
    ),
    Entry(
        "HT-07",
        "Thuê bao băng rộng di động trên 100 dân",
        "Mobile broadband subscriptions per 100 inhabitants",
        "ha_tang",
        "thuê bao/100 dân",
        "Số thuê bao băng rộng di động",
        "Dân số",
        source="Bộ TT&TT 2023",
        factor=100,
    ),
    Entry(
        "HT-08",
        "Tốc độ truy cập Internet băng rộng cố định",
        "Fixed broadband download speed",
        "ha_tang",
        "Mbps",
        "Tốc độ tải xuống trung vị",
        None,
        (AVERAGE, AVERAGE),
        source="i-Speed; Kế hoạch Xuân Trúc",
        value_type="number",
        units_rule="average",
    ),
    Entry(
        "HT-09",
        "Tỷ lệ hệ thống thông tin dùng chung sử dụng điện toán đám mây của trung tâm dữ liệu tỉnh",
        "Shared systems on the provincial cloud",
        "ha_tang",
        "%",
        "Số HTTT dùng chung trên đám mây của tỉnh",
        "Số HTTT dùng chung",
        source="Kế hoạch 18/KH-UBND Gia Lai",
    ),
    # Nền tảng – Nhân lực số
    Entry(
        "NL-01",
        "Tỷ lệ cán bộ, công chức, viên chức được bồi dưỡng, tập huấn về chuyển đổi số",
        "Civil servants trained in DX",
        "nhan_luc",
        "%",
        "Số CBCCVC được bồi dưỡng, tập huấn",
        "Tổng số CBCCVC",
        TRAINED,
        source="Kế hoạch 122/KH-UBND Trà Vinh",
    ),
    Entry(
        "NL-02",
        "Thành viên Tổ công nghệ số cộng đồng trên 100 dân",
        "Community digital team members per 100 inhabitants",
        "nhan_luc",
        "người/100 dân",
        "Số thành viên Tổ CNSCĐ",
        "Dân số",
        source="Kế hoạch 18/KH-UBND Gia Lai",
        factor=100,
    ),
    Entry(
        "NL-03",
        "Tỷ lệ người trong độ tuổi lao động được đào tạo kỹ năng số cơ bản",
        "Working-age people trained in basic digital skills",
        "nhan_luc",
        "%",
        "Số người trong độ tuổi lao động được đào tạo kỹ năng số",
        "Dân số trong độ tuổi lao động",
        source="411/QĐ-TTg",
    ),
    Entry(
        "NL-04",
        "Số người dân được phổ cập kỹ năng số",
        "Citizens given basic digital-skills training",
        "nhan_luc",
        "người",
        "Số người dân được phổ cập kỹ năng số",
        None,
        (SUM, SUM),
        source="Kế hoạch 18/KH-UBND Gia Lai",
    ),
    # Nền tảng – An toàn thông tin mạng
    Entry(
        "AT-01",
        "Tỷ lệ hệ thống thông tin được phê duyệt cấp độ an toàn",
        "Information systems with an approved security level",
        "attt",
        "%",
        "Số HTTT được phê duyệt cấp độ",
        "Số HTTT đang vận hành",
        source="Kế hoạch 2023 của UBQG CĐS",
    ),
    Entry(
        "AT-02",
        "Tỷ lệ hệ thống thông tin triển khai đầy đủ phương án bảo đảm an toàn thông tin theo cấp độ",
        "Systems fully implementing their security plan",
        "attt",
        "%",
        "Số HTTT triển khai đủ phương án",
        "Số HTTT được phê duyệt cấp độ",
        source="Kế hoạch 18/KH-UBND Gia Lai",
    ),
    Entry(
        "AT-03",
        "Tỷ lệ hệ thống thông tin được giám sát an toàn thông tin",
        "Systems under security monitoring",
        "attt",
        "%",
        "Số HTTT được giám sát ATTT",
        "Tổng số HTTT",
        source="Kế hoạch 18/KH-UBND Gia Lai",
    ),
    Entry(
        "AT-04",
        "Tỷ lệ máy tính được cài phần mềm phòng chống mã độc",
        "Computers with anti-malware",
        "attt",
        "%",
        "Số máy tính có phần mềm phòng chống mã độc",
        "Tổng số máy tính",
        source="Chỉ số ứng dụng CNTT (Bộ TT&TT)",
    ),
    # Chính quyền số
    Entry(
        "CQ-01",
        "Tỷ lệ thủ tục hành chính đủ điều kiện được cung cấp dịch vụ công trực tuyến toàn trình",
        "Eligible procedures offered fully online",
        "chinh_quyen_so",
        "%",
        "Số TTHC cung cấp DVC trực tuyến toàn trình",
        "Số TTHC đủ điều kiện",
        source="Kế hoạch Gia Lai 2023",
    ),
    Entry(
        "CQ-02",
        "Tỷ lệ dịch vụ công trực tuyến phát sinh hồ sơ",
        "Online services that received dossiers",
        "chinh_quyen_so",
        "%",
        "Số DVC trực tuyến có phát sinh hồ sơ",
        "Số DVC trực tuyến đã cung cấp",
        source="Kế hoạch Gia Lai 2023",
    ),
    Entry(
        "CQ-03",
        "Tỷ lệ hồ sơ thủ tục hành chính được tiếp nhận, xử lý trực tuyến",
        "Dossiers received online",
        "chinh_quyen_so",
        "%",
        "Số hồ sơ tiếp nhận trực tuyến",
        "Tổng số hồ sơ tiếp nhận",
        FLOW,
        source="Kế hoạch 2023 của UBQG CĐS",
    ),
    Entry(
        "CQ-04",
        "Tỷ lệ số hóa hồ sơ, kết quả giải quyết thủ tục hành chính",
        "Dossiers and results digitised",
        "chinh_quyen_so",
        "%",
        "Số hồ sơ, kết quả được số hóa",
        "Tổng số hồ sơ, kết quả",
        FLOW,
        source="Kế hoạch 2023 của UBQG CĐS",
    ),
    Entry(
        "CQ-05",
        "Tỷ lệ hồ sơ giải quyết đúng hạn",
        "Dossiers processed on time",
        "chinh_quyen_so",
        "%",
        "Số hồ sơ giải quyết trước và đúng hạn",
        "Số hồ sơ đã giải quyết",
        FLOW,
        source="766/QĐ-TTg",
    ),
    Entry(
        "CQ-06",
        "Tỷ lệ hồ sơ giải quyết trễ hạn",
        "Dossiers processed late",
        "chinh_quyen_so",
        "%",
        "Số hồ sơ trễ hạn",
        "Số hồ sơ đã giải quyết (trễ hạn)",
        FLOW,
        direction="down",
        source="Cổng DVC Thừa Thiên Huế",
    ),
    Entry(
        "CQ-07",
        "Tỷ lệ hồ sơ công việc được xử lý trên môi trường mạng",
        "Work files processed online",
        "chinh_quyen_so",
        "%",
        "Số hồ sơ công việc xử lý trên mạng",
        "Tổng số hồ sơ công việc",
        FLOW,
        source="Kế hoạch Gia Lai 2023",
    ),
    Entry(
        "CQ-08",
        "Tỷ lệ văn bản đi được ký số",
        "Outgoing documents digitally signed",
        "chinh_quyen_so",
        "%",
        "Số văn bản đi được ký số",
        "Tổng số văn bản đi",
        FLOW,
        source="Bảng điểm DTI",
    ),
    Entry(
        "CQ-09",
        "Tỷ lệ hài lòng trong tiếp nhận, giải quyết thủ tục hành chính",
        "Satisfaction with administrative procedures",
        "chinh_quyen_so",
        "%",
        "Số đánh giá hài lòng về TTHC",
        "Tổng số đánh giá về TTHC",
        FLOW,
        source="766/QĐ-TTg",
    ),
    Entry(
        "CQ-10",
        "Tỷ lệ thủ tục hành chính được cập nhật, công khai đúng hạn",
        "Procedures published on time",
        "chinh_quyen_so",
        "%",
        "Số TTHC công khai đúng hạn",
        "Số TTHC phải công khai",
        FLOW,
        source="766/QĐ-TTg",
    ),
    Entry(
        "CQ-11",
        "Tỷ lệ phản ánh hiện trường đã xử lý",
        "Field reports resolved",
        "chinh_quyen_so",
        "%",
        "Số phản ánh đã xử lý",
        "Số phản ánh đã tiếp nhận",
        FLOW,
        source="Hue-S",
    ),
    Entry(
        "CQ-12",
        "Tỷ lệ phản ánh hiện trường xử lý đúng hạn",
        "Field reports resolved on time",
        "chinh_quyen_so",
        "%",
        "Số phản ánh xử lý đúng hạn",
        "Số phản ánh đã xử lý (đúng hạn)",
        FLOW,
        source="Hue-S",
    ),
    Entry(
        "CQ-13",
        "Tỷ lệ hài lòng với kết quả xử lý phản ánh",
        "Satisfaction with the handling of field reports",
        "chinh_quyen_so",
        "%",
        "Số đánh giá hài lòng về xử lý phản ánh",
        "Số đánh giá về xử lý phản ánh",
        FLOW,
        source="Hue-S",
    ),
    Entry(
        "CQ-14",
        "Tỷ lệ thủ tục hành chính được cung cấp trên Cổng Dịch vụ công quốc gia",
        "Procedures available on the national public-service portal",
        "chinh_quyen_so",
        "%",
        "Số TTHC cung cấp trên Cổng DVC quốc gia",
        "Tổng số TTHC của tỉnh",
        source="Đề án 06",
    ),
    # Kinh tế số
    Entry(
        "KT-01",
        "Tỷ trọng giá trị tăng thêm của kinh tế số trong GRDP",
        "Digital economy share of GRDP",
        "kinh_te_so",
        "%",
        "Giá trị tăng thêm của kinh tế số (tỷ đồng)",
        "GRDP (tỷ đồng)",
        FLOW,
        source="Tổng cục Thống kê; 411/QĐ-TTg",
        value_type="number",
    ),
    Entry(
        "KT-02",
        "Tỷ trọng thương mại điện tử trong tổng mức bán lẻ hàng hóa, dịch vụ",
        "E-commerce share of retail sales",
        "kinh_te_so",
        "%",
        "Doanh thu bán lẻ thương mại điện tử (tỷ đồng)",
        "Tổng mức bán lẻ hàng hóa, dịch vụ (tỷ đồng)",
        FLOW,
        source="411/QĐ-TTg",
        value_type="number",
    ),
    Entry(
        "KT-03",
        "Tỷ lệ doanh nghiệp sử dụng hợp đồng điện tử",
        "Enterprises using e-contracts",
        "kinh_te_so",
        "%",
        "Số doanh nghiệp dùng hợp đồng điện tử",
        "Số doanh nghiệp đang hoạt động",
        source="411/QĐ-TTg",
    ),
    Entry(
        "KT-04",
        "Tỷ lệ doanh nghiệp nhỏ và vừa sử dụng nền tảng số",
        "SMEs using digital platforms",
        "kinh_te_so",
        "%",
        "Số DNNVV dùng nền tảng số",
        "Tổng số DNNVV",
        source="411/QĐ-TTg",
    ),
    Entry(
        "KT-05",
        "Tỷ lệ nhân lực kinh tế số trong lực lượng lao động",
        "Digital-economy workforce share",
        "kinh_te_so",
        "%",
        "Số lao động kinh tế số",
        "Lực lượng lao động",
        source="411/QĐ-TTg",
    ),
    Entry(
        "KT-06",
        "Tỷ lệ doanh nghiệp sử dụng hóa đơn điện tử",
        "Enterprises using e-invoices",
        "kinh_te_so",
        "%",
        "Số doanh nghiệp dùng hóa đơn điện tử",
        "Số doanh nghiệp đang hoạt động (hóa đơn)",
        source="Kế hoạch Gia Lai 2023",
    ),
    # Xã hội số
    Entry(
        "XH-01",
        "Tỷ lệ dân số trưởng thành có điện thoại thông minh",
        "Adults with a smartphone",
        "xa_hoi_so",
        "%",
        "Số người trưởng thành có điện thoại thông minh",
        "Dân số trưởng thành",
        source="411/QĐ-TTg",
    ),
    Entry(
        "XH-02",
        "Tỷ lệ dân số từ 15 tuổi trở lên có tài khoản giao dịch thanh toán",
        "People 15+ with a payment account",
        "xa_hoi_so",
        "%",
        "Số người từ 15 tuổi có tài khoản thanh toán",
        "Dân số từ 15 tuổi trở lên",
        source="411/QĐ-TTg",
    ),
    Entry(
        "XH-03",
        "Tỷ lệ dân số có hồ sơ sức khỏe điện tử",
        "Population with an e-health record",
        "xa_hoi_so",
        "%",
        "Số người có hồ sơ sức khỏe điện tử",
        "Dân số (hồ sơ sức khỏe)",
        source="411/QĐ-TTg",
    ),
    Entry(
        "XH-04",
        "Tỷ lệ dân số trưởng thành có tài khoản định danh điện tử VNeID đã kích hoạt",
        "Adults with an activated VNeID account",
        "xa_hoi_so",
        "%",
        "Số tài khoản VNeID đã kích hoạt của người trưởng thành",
        "Dân số trưởng thành (VNeID)",
        source="Đề án 06",
    ),
    Entry(
        "XH-05",
        "Tỷ lệ dân số trưởng thành có chữ ký số hoặc chữ ký điện tử cá nhân",
        "Adults with a personal digital signature",
        "xa_hoi_so",
        "%",
        "Số người trưởng thành có chữ ký số cá nhân",
        "Dân số trưởng thành (chữ ký số)",
        source="411/QĐ-TTg",
    ),
    Entry(
        "XH-06",
        "Tỷ lệ dân số trưởng thành sử dụng nền tảng tư vấn khám chữa bệnh từ xa",
        "Adults using telemedicine",
        "xa_hoi_so",
        "%",
        "Số người trưởng thành dùng khám chữa bệnh từ xa",
        "Dân số trưởng thành (y tế từ xa)",
        source="Kế hoạch 2023 của UBQG CĐS",
    ),
    Entry(
        "XH-07",
        "Tỷ lệ người sử dụng Internet",
        "Internet users",
        "xa_hoi_so",
        "%",
        "Số người sử dụng Internet",
        "Dân số (Internet)",
        source="Tổng cục Thống kê",
    ),
    Entry(
        "XH-08",
        "Tỷ lệ thôn, tổ dân phố có Tổ công nghệ số cộng đồng",
        "Hamlets with a community digital team",
        "xa_hoi_so",
        "%",
        "Số thôn, tổ dân phố có Tổ CNSCĐ",
        "Tổng số thôn, tổ dân phố",
        source="Bộ TT&TT 2023",
    ),
]


def element_codes(entry: Entry) -> tuple[str, str | None]:
    if entry.code in FIXED_CODES:
        return FIXED_CODES[entry.code]
    if entry.denominator is None:
        return entry.code, None
    return f"{entry.code}-TU", f"{entry.code}-MAU"


def catalogue_document() -> dict[str, Any]:
    """The catalogue as a metadata document (`dataElements` and `indicators`)."""
    elements: list[dict[str, Any]] = []
    indicators: list[dict[str, Any]] = []
    for entry in ENTRIES:
        num_code, den_code = element_codes(entry)
        pairs = [(num_code, entry.numerator, entry.time[0])]
        if den_code:
            pairs.append((den_code, entry.denominator, entry.time[1]))
        for code, name, time_rule in pairs:
            elements.append(
                {
                    "code": code,
                    "name": name,
                    "valueType": entry.value_type,
                    "aggregationType": entry.units_rule,
                    "timeAggregationType": time_rule,
                    "description": f"Dùng cho chỉ tiêu {entry.code}.",
                }
            )
        indicator: dict[str, Any] = {
            "code": entry.code,
            "name": entry.name,
            "nameEn": entry.name_en,
            "numerator": num_code,
            "unit": entry.unit,
            "direction": entry.direction,
            "pillar": entry.pillar,
            "source": entry.source,
            "decimals": 2 if entry.unit.endswith("100 dân") else 1,
        }
        if den_code:
            indicator["denominator"] = den_code
            indicator["factor"] = entry.factor or 100
        else:
            indicator["factor"] = 1
        indicators.append(indicator)
    return {"dataElements": elements, "indicators": indicators}
