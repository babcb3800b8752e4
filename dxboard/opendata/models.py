"""Models of the opendata app: the datasets a province officer chose to publish.

A dataset stores only its metadata and where its figures come from (a source kind and its
parameters); its table is computed from the other apps' services when asked
(`dxboard.opendata.tables`), so a download is never a stale copy.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dxboard.units.models import Unit


class SourceKind(models.TextChoices):
    EVALUATION = "evaluation", _("Kết quả chỉ tiêu của chương trình theo đơn vị, kỳ")
    FEEDBACK = "feedback", _("Thống kê phản ánh hiện trường theo lĩnh vực, đơn vị")
    COMMUNITY = "community", _("Tổ công nghệ số cộng đồng theo xã")
    PROJECTS = "projects", _("Nhiệm vụ, dự án chuyển đổi số và kinh phí")
    COMPLETENESS = "completeness", _("Tình hình nộp báo cáo định kỳ")
    SCORECARDS = "scorecards", _("Kết quả bảng điểm đã công bố")


class Licence(models.TextChoices):
    # Ids and URLs as CKAN's default licence list names them, so harvesters recognise them.
    CC_BY_4 = "CC-BY-4.0", "Creative Commons Attribution 4.0"
    CC0 = "CC0-1.0", "Creative Commons CCZero 1.0"
    ODC_BY = "ODC-BY-1.0", "Open Data Commons Attribution License 1.0"


LICENCE_URLS = {
    Licence.CC_BY_4: "https://creativecommons.org/licenses/by/4.0/",
    Licence.CC0: "https://creativecommons.org/publicdomain/zero/1.0/",
    Licence.ODC_BY: "https://opendatacommons.org/licenses/by/1-0/",
}


class Frequency(models.TextChoices):
    # Codes of the EU frequency vocabulary, which DCAT-AP's dct:accrualPeriodicity uses.
    MONTHLY = "MONTHLY", _("Hằng tháng")
    QUARTERLY = "QUARTERLY", _("Hằng quý")
    ANNUAL = "ANNUAL", _("Hằng năm")
    IRREGULAR = "IRREG", _("Không định kỳ")


class Theme(models.TextChoices):
    # Codes of the EU data-theme vocabulary (dcat:theme); also the CKAN groups.
    GOVERNMENT = "GOVE", _("Chính quyền và khu vực công")
    ECONOMY = "ECON", _("Kinh tế và tài chính")
    SOCIETY = "SOCI", _("Dân số và xã hội")
    TECHNOLOGY = "TECH", _("Khoa học và công nghệ")
    REGIONS = "REGI", _("Vùng và đô thị")


class DatasetQuerySet(models.QuerySet["Dataset"]):
    def published(self) -> DatasetQuerySet:
        return self.filter(published=True)


class Dataset(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.SlugField(
        _("tên định danh"),
        max_length=100,
        unique=True,
        help_text=_("Chữ thường không dấu, số, gạch ngang; dùng trong địa chỉ và API."),
    )
    title = models.CharField(_("tiêu đề"), max_length=300)
    title_en = models.CharField(_("tiêu đề tiếng Anh"), max_length=300, blank=True)
    description = models.TextField(_("mô tả"), max_length=4000)
    description_en = models.TextField(_("mô tả tiếng Anh"), max_length=4000, blank=True)
    publisher = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị công bố")
    )
    coverage = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("phạm vi không gian"),
        help_text=_("Đơn vị có số liệu được công bố (gồm các đơn vị trực thuộc)."),
    )
    source = models.CharField(_("nguồn số liệu"), max_length=20, choices=SourceKind.choices)
    programme = models.ForeignKey(
        "indicators.Programme",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("chương trình"),
    )
    # A code, not a foreign key: report forms are moving from `collection` to a `reporting`
    # app in another branch, and a foreign key would tie this migration to their old place.
    report_form_code = models.CharField(_("mã biểu mẫu"), max_length=50, blank=True)
    period_start = models.CharField(_("từ kỳ"), max_length=10, help_text=_("Ví dụ: 2024Q1."))
    period_end = models.CharField(_("đến kỳ"), max_length=10, help_text=_("Ví dụ: 2024Q4."))
    licence = models.CharField(
        _("giấy phép"), max_length=20, choices=Licence.choices, default=Licence.CC_BY_4
    )
    frequency = models.CharField(
        _("tần suất cập nhật"),
        max_length=10,
        choices=Frequency.choices,
        default=Frequency.QUARTERLY,
    )
    theme = models.CharField(
        _("chủ đề"), max_length=4, choices=Theme.choices, default=Theme.GOVERNMENT
    )
    keywords = models.JSONField(_("từ khóa"), default=list, blank=True)
    contact_name = models.CharField(
        _("đầu mối liên hệ"),
        max_length=200,
        help_text=_("Tên phòng, đơn vị (không ghi tên cá nhân)."),
    )
    contact_email = models.EmailField(_("thư điện tử liên hệ"))
    published = models.BooleanField(_("công khai"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = DatasetQuerySet.as_manager()

    class Meta:
        verbose_name = _("bộ dữ liệu mở")
        verbose_name_plural = _("bộ dữ liệu mở")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(source__in=SourceKind.values),
                name="opendata_dataset_source_valid",
                violation_error_message=_("Nguồn số liệu không hợp lệ."),
            ),
            models.CheckConstraint(
                condition=Q(licence__in=Licence.values),
                name="opendata_dataset_licence_valid",
                violation_error_message=_("Giấy phép không hợp lệ."),
            ),
            models.CheckConstraint(
                condition=Q(frequency__in=Frequency.values),
                name="opendata_dataset_frequency_valid",
                violation_error_message=_("Tần suất cập nhật không hợp lệ."),
            ),
            models.CheckConstraint(
                condition=Q(theme__in=Theme.values),
                name="opendata_dataset_theme_valid",
                violation_error_message=_("Chủ đề không hợp lệ."),
            ),
            models.CheckConstraint(
                condition=~Q(source=SourceKind.EVALUATION) | Q(programme__isnull=False),
                name="opendata_dataset_evaluation_has_programme",
                violation_error_message=_("Bộ dữ liệu kết quả chỉ tiêu cần một chương trình."),
            ),
            models.CheckConstraint(
                condition=~Q(source=SourceKind.COMPLETENESS) | ~Q(report_form_code=""),
                name="opendata_dataset_completeness_has_form",
                violation_error_message=_("Bộ dữ liệu tình hình nộp báo cáo cần một biểu mẫu."),
            ),
        ]

    def __str__(self) -> str:
        return self.title
