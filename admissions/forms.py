"""Forms of the admission steps. They shape input only; rules are checked by admissions.services."""

import datetime as dt

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.core.validators import MinValueValidator

from members.forms import ForgetsPersonalId
from members.models import Member, MemberStatus
from organizations.forms import offer_organizations
from organizations.scope import in_scope
from partyorg.lib.forms import DATE_WIDGET, ChoicePromptMixin, SeenVersionMixin

from .models import (
    AdmissionPlan,
    Candidate,
    CandidateCategory,
    Introduction,
    Opinion,
    RecognitionOutcome,
    Relationship,
    VerificationItem,
)
from .permissions import branches_open_to
from .rules import LATEST_RULE

# Bounds that keep nonsense out of the database (an integer overflow, a text longer than its column):
# refused as form errors rather than failing in the database.
MAX_COUNT = 100_000


EARLIEST_DATE = dt.date(1900, 1, 1)
EARLIEST_DATE_VALIDATOR = MinValueValidator(EARLIEST_DATE, message="Ngày phải từ 01/01/1900 trở về sau.")


def date_field(label: str, required: bool = True) -> forms.DateField:
    # A typo such as 01/01/0024 would reach date arithmetic near year 1; refuse it here.
    return forms.DateField(
        label=label,
        widget=DATE_WIDGET,
        required=required,
        validators=[EARLIEST_DATE_VALIDATOR],
    )


def count_field(label: str, required: bool = True, initial=None) -> forms.IntegerField:
    return forms.IntegerField(label=label, min_value=0, max_value=MAX_COUNT, required=required, initial=initial)


class StepForm(ChoicePromptMixin, SeenVersionMixin, forms.Form):
    submit_label = "Ghi nhận"

    def __init__(self, *args, dossier, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.dossier = dossier
        self.user = user
        self.add_seen_version(dossier.version)
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", self.submit_label))
        for name, field in self.fields.items():
            if isinstance(field, forms.ModelChoiceField) and name in ("helper", "probation_helper", "introducer"):
                field.queryset = self.member_choices(name)

    def member_choices(self, name):
        # Only members the user may see: a choice is printed on the dossier's forms with the member's data.
        if self.user is None:
            return Member.objects.none()
        members = in_scope(self.user, Member.objects.filter(status=MemberStatus.OFFICIAL)).order_by("sort_key")
        if name == "introducer":
            # Official members under the same base organization; the service checks the rule. Others are typed.
            from .organizations import base_organization_of

            return members.filter(branch__path__startswith=base_organization_of(self.dossier.branch).path)
        return members.filter(branch=self.dossier.branch)


class CandidateForm(ChoicePromptMixin, ForgetsPersonalId, forms.ModelForm):
    """A person proposed for the source pool."""

    categories = forms.MultipleChoiceField(
        label="Đối tượng", choices=CandidateCategory.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Candidate
        fields = [
            "branch",
            "full_name",
            "gender",
            "birth_date",
            "personal_id",
            "ethnicity",
            "religion",
            "home_town",
            "permanent_address",
            "occupation",
            "workplace",
            "general_education",
            "education_exception",
            "proposed_by",
            "proposed_by_member",
            "proposed_on",
            "categories",
            "merits",
        ]
        widgets = {"birth_date": DATE_WIDGET, "proposed_on": DATE_WIDGET, "merits": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        offer_organizations(self.fields["branch"], branches_open_to(user))
        self.fields["proposed_by_member"].queryset = in_scope(
            user, Member.objects.filter(status=MemberStatus.OFFICIAL)
        ).order_by("sort_key")
        self.fields["personal_id"].widget.attrs.update({"inputmode": "numeric", "maxlength": 12})
        for name in ("birth_date", "proposed_on"):
            self.fields[name].validators.append(EARLIEST_DATE_VALIDATOR)
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", "Đưa vào nguồn"))

    def _post_clean(self):
        # The service validates the record (CCCD, duplicates) with Vietnamese messages.
        pass


class SympathizerForm(StepForm):
    listed_on = date_field("Ngày nghị quyết của chi bộ")
    resolution_number = forms.CharField(label="Số nghị quyết", max_length=60, required=False)
    helper = forms.ModelChoiceField(label="Đảng viên chính thức được phân công giúp đỡ", queryset=Member.objects.none())


class CertificateForm(StepForm):
    issued_on = date_field("Ngày cấp giấy chứng nhận")
    number = forms.CharField(label="Số giấy chứng nhận", max_length=60, required=False)


class SubmittedForm(StepForm):
    submitted_on = date_field("Ngày nộp")


class StampForm(StepForm):
    stamped_on = date_field("Ngày đảng ủy cơ sở đóng dấu giáp lai")


class IntroductionForm(StepForm):
    kind = forms.ChoiceField(label="Hình thức", choices=Introduction.Kind.choices)
    introducer = forms.ModelChoiceField(label="Đảng viên giới thiệu", queryset=Member.objects.none(), required=False)
    introducer_name = forms.CharField(
        label="Hoặc họ và tên người giới thiệu",
        max_length=100,
        required=False,
        help_text="Khi người giới thiệu sinh hoạt ở chi bộ khác, không có trong danh sách trên.",
    )
    introducer_confirmed = forms.BooleanField(
        label="Chi ủy đã xác minh người giới thiệu nhập bằng họ tên là đảng viên chính thức, cùng công tác, học tập "
        "hoặc cư trú trong cùng tổ chức cơ sở đảng",
        required=False,
    )
    known_since = date_field("Cùng công tác, học tập, cư trú từ ngày", required=False)
    youth_union_resolution_number = forms.CharField(label="Số nghị quyết BCH Đoàn cơ sở", max_length=60, required=False)
    youth_union_organization = forms.CharField(label="BCH Đoàn cơ sở", max_length=200, required=False)
    introduced_on = date_field("Ngày giới thiệu")


class VerificationRequestForm(StepForm):
    relationship = forms.ChoiceField(label="Quan hệ", choices=Relationship.choices)
    person_name = forms.CharField(label="Họ và tên", max_length=100)
    is_party_member = forms.BooleanField(label="Là đảng viên (không phải thẩm tra)", required=False)
    request_sent_to = forms.CharField(label="Nơi gửi yêu cầu thẩm tra", max_length=255, required=False)
    request_sent_on = date_field("Ngày gửi yêu cầu", required=False)


class VerificationResultForm(StepForm):
    item = forms.ModelChoiceField(label="Người được thẩm tra", queryset=VerificationItem.objects.none())
    result_received_on = date_field("Ngày nhận kết quả")
    result = forms.CharField(label="Kết quả", widget=forms.Textarea(attrs={"rows": 3}))
    is_clear = forms.BooleanField(label="Không có vấn đề vướng mắc", required=False, initial=True)

    def __init__(self, *args, dossier, **kwargs):
        super().__init__(*args, dossier=dossier, **kwargs)
        self.fields["item"].queryset = dossier.verification_items.filter(
            is_party_member=False, result_received_on__isnull=True
        )
        self.fields["item"].label_from_instance = lambda item: f"{item.get_relationship_display()}: {item.person_name}"


class CertifyForm(StepForm):
    certified_on = date_field("Ngày cấp ủy cơ sở chứng nhận lý lịch")


class OpinionForm(StepForm):
    source = forms.ChoiceField(label="Nguồn ý kiến", choices=Opinion.Source.choices)
    organization_name = forms.CharField(label="Tên tổ chức", max_length=255)
    given_on = date_field("Ngày")
    participants_count = count_field("Số người tham gia", required=False)
    agreeing_count = count_field("Số người tán thành", required=False)
    summary = forms.CharField(label="Nội dung", widget=forms.Textarea(attrs={"rows": 3}), required=False)


class SummaryForm(StepForm):
    summarized_on = date_field("Ngày tổng hợp")
    resides_in_branch_area = forms.BooleanField(
        label="Người vào Đảng cư trú trên địa bàn chi bộ",
        required=False,
        help_text="Chi ủy chi bộ đồng thời là chi ủy nơi cư trú: không cần ý kiến của chi ủy nơi cư trú khác.",
    )


class ConsentForm(StepForm):
    consented_on = date_field("Ngày Ban Thường vụ Tỉnh ủy đồng ý")
    reference = forms.CharField(label="Số văn bản", max_length=60)


class BranchVoteForm(StepForm):
    held_on = date_field("Ngày họp chi bộ")
    resolution_number = forms.CharField(label="Số nghị quyết", max_length=60, required=False)
    members_count = count_field("Tổng số đảng viên chính thức của chi bộ")
    temporarily_attached_count = count_field("Số sinh hoạt tạm thời nơi khác", initial=0)
    exempted_absent_count = count_field("Số được miễn công tác và sinh hoạt đảng, vắng mặt", initial=0)
    present_count = count_field("Số có mặt", required=False)
    in_favour_count = count_field("Số tán thành")
    against_count = count_field("Số không tán thành", initial=0)

    def __init__(self, *args, dossier, **kwargs):
        super().__init__(*args, dossier=dossier, **kwargs)
        # A starting point the secretary corrects: the register's full members of the branch today.
        full_members = Member.objects.filter(branch=dossier.branch, status=MemberStatus.OFFICIAL).count()
        self.fields["members_count"].initial = full_members
        self.fields["members_count"].help_text = f"Theo danh sách đảng viên của chi bộ hiện có {full_members}."


class RecognitionBranchVoteForm(BranchVoteForm):
    proposal = forms.ChoiceField(label="Đề nghị", choices=RecognitionOutcome.choices)
    field_order = ["proposal"]


class BaseVoteForm(StepForm):
    held_on = date_field("Ngày họp đảng ủy")
    resolution_number = forms.CharField(label="Số nghị quyết", max_length=60, required=False)
    members_count = count_field("Tổng số ủy viên đảng ủy")
    in_favour_count = count_field("Số tán thành")
    against_count = count_field("Số không tán thành", initial=0)


class ExtensionForm(StepForm):
    # The service checks the total against the dossier's own rule; the field bounds one request by the latest.
    working_days = forms.IntegerField(
        label="Số ngày làm việc gia hạn", min_value=1, max_value=LATEST_RULE.decision_extension_max.count
    )
    reason = forms.CharField(label="Lý do (trường hợp đặc biệt)", max_length=255)
    decided_on = date_field("Ngày quyết định gia hạn")


class DecisionForm(StepForm):
    approved = forms.TypedChoiceField(
        label="Quyết định",
        choices=[("1", "Kết nạp"), ("0", "Không kết nạp")],
        coerce=lambda v: v == "1",
        initial="1",
    )
    decision_number = forms.CharField(label="Số quyết định", max_length=60)
    signed_on = date_field("Ngày ký")
    late_reason = forms.CharField(label="Lý do chậm (nếu quá hạn)", max_length=500, required=False)
    # Stored in closed_reason (255) after the words "Cấp ủy không đồng ý kết nạp: ".
    refusal_reason = forms.CharField(label="Lý do không kết nạp", max_length=200, required=False)


class ReceivedForm(StepForm):
    received_on = date_field("Ngày chi bộ nhận quyết định")


class CeremonyForm(StepForm):
    held_on = date_field("Ngày tổ chức lễ kết nạp")
    probation_helper = forms.ModelChoiceField(label="Đảng viên giúp đỡ", queryset=Member.objects.none())
    late_consent = forms.CharField(label="Ý kiến đồng ý của cấp trên (nếu quá hạn)", max_length=500, required=False)


class CourseForm(StepForm):
    completed_on = date_field("Ngày hoàn thành lớp bồi dưỡng đảng viên mới")
    certificate_number = forms.CharField(label="Số giấy chứng nhận", max_length=60, required=False)


class PaperForm(StepForm):
    dated_on = date_field("Ngày")


class RecognitionDecisionForm(StepForm):
    outcome = forms.ChoiceField(label="Quyết định", choices=RecognitionOutcome.choices)
    decision_number = forms.CharField(label="Số quyết định", max_length=60)
    decided_on = date_field("Ngày ký")
    late_reason = forms.CharField(label="Lý do chậm (nếu quá hạn)", max_length=500, required=False)


class CloseForm(StepForm):
    closed_on = date_field("Ngày dừng")
    reason = forms.CharField(label="Lý do", max_length=255)


class PlanForm(ChoicePromptMixin, forms.ModelForm):
    class Meta:
        model = AdmissionPlan
        fields = ["year", "term", "target_count", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", "Lưu kế hoạch"))

    def _post_clean(self):
        pass
