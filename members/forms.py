import django_filters
from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Fieldset, Layout, Row, Submit
from django import forms
from django.urls import reverse
from django.utils.html import format_html

from organizations.forms import offer_organizations
from organizations.models import BRANCH_KINDS, Organization, natural_order, parent_name_of, qualify
from organizations.permissions import Action, may_act, organizations_for
from organizations.scope import in_scope
from partyorg.lib.errors import DomainError
from partyorg.lib.forms import (
    DATE_WIDGET,
    ChoicePromptMixin,
    FilterForm,
    PartyDateField,
    QuickSelect,
    SeenVersionMixin,
)

from .choices import AGE_BAND_CHOICES
from .models import ACTIVE_STATUSES, Member, MemberStatus, MemberTransition
from .selectors import PROBATION_DUE_WINDOWS, probation_due
from .services import DATES_SET_BY_STEPS

PROFILE_FIELDS = [
    "full_name",
    "other_name",
    "gender",
    "birth_date",
    "personal_id",
    "birth_registration_place",
    "home_town",
    "permanent_address",
    "temporary_address",
    "ethnicity",
    "religion",
    "occupation",
    "general_education",
    "professional_level",
    "academic_degree",
    "political_theory",
    "foreign_language",
    "admission_decided_on",
    "ceremony_held_on",
    "first_introducer",
    "second_introducer",
    "official_on",
    "profile_number",
    "card_number",
    "card_issued_on",
    "activity_exempted_on",
]


def active_branches():
    return Organization.objects.filter(kind__in=BRANCH_KINDS, active_to__isnull=True)


def branches_in_scope(user):
    return in_scope(user, active_branches())


def branches_for(user, action: Action):
    """The active branches where the user may take `action`: a form offers no choice it would refuse."""
    return organizations_for(user, action, active_branches())


class ForgetsPersonalId:
    def forget_personal_id(self) -> None:
        """After a refused CCCD (already on file, or the hour's lookups used up) the number is not sent back."""
        self.data = self.data.copy()
        self.data["personal_id"] = ""


PARTY_DATES = ("admission_decided_on", "ceremony_held_on", "official_on")


class MemberForm(ChoicePromptMixin, ForgetsPersonalId, SeenVersionMixin, forms.ModelForm):
    """The member file. Rules are checked by members.services; this form only shapes the input."""

    class Meta:
        model = Member
        fields = ["branch", *PROFILE_FIELDS]
        widgets = {
            name: DATE_WIDGET
            for name in (
                "birth_date",
                "admission_decided_on",
                "ceremony_held_on",
                "official_on",
                "card_issued_on",
                "activity_exempted_on",
            )
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["branch"]
            self.add_seen_version(self.instance.version)
            # The stored CCCD is never printed into an input: shown masked, changed by its own audited act.
            del self.fields["personal_id"]
            # Set by the ceremony and the recognition decision, not corrected here (members.services).
            for name in DATES_SET_BY_STEPS:
                del self.fields[name]
            personal_id = HTML(_masked_personal_id_html(self.instance, user))
        else:
            offer_organizations(self.fields["branch"], branches_for(user, Action.REGISTER_MEMBER))
            self.fields["personal_id"].widget.attrs.update({"inputmode": "numeric", "maxlength": 12})
            personal_id = "personal_id"
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Fieldset(
                "Sơ yếu",
                *(["version"] if self.instance.pk else ["branch"]),
                Row(Column("full_name"), Column("other_name")),
                Row(Column("gender"), Column("birth_date"), Column(personal_id)),
                "birth_registration_place",
                "home_town",
                "permanent_address",
                "temporary_address",
                Row(Column("ethnicity"), Column("religion")),
            ),
            Fieldset(
                "Trình độ, nghề nghiệp",
                "occupation",
                Row(Column("general_education"), Column("professional_level")),
                Row(Column("academic_degree"), Column("political_theory"), Column("foreign_language")),
            ),
            Fieldset(
                "Quá trình vào Đảng",
                Row(*(Column(name) for name in PARTY_DATES if name in self.fields)),
                Row(Column("first_introducer"), Column("second_introducer")),
                Row(Column("profile_number"), Column("card_number"), Column("card_issued_on")),
                "activity_exempted_on",
            ),
            Submit("save", "Lưu hồ sơ"),
        )

    def _post_clean(self):
        # Model-level validation (e.g. CCCD uniqueness) is the service's job: one place, Vietnamese messages.
        pass


def _masked_personal_id_html(member: Member, user) -> str:
    change = ""
    if may_act(user, Action.CHANGE_PERSONAL_ID, member.branch):
        change = format_html(
            ' <a class="ms-2 small" href="{}">Đổi số CCCD</a>', reverse("members:change_personal_id", args=[member.pk])
        )
    return format_html(
        '<div class="mb-3"><span class="form-label d-block">Số CCCD</span>'
        '<span class="form-control-plaintext d-inline-block font-monospace-id" id="masked-personal-id">{}</span>{}'
        "</div>",
        member.masked_personal_id,
        change,
    )


class PersonalIdChangeForm(ChoicePromptMixin, ForgetsPersonalId, forms.Form):
    personal_id = forms.CharField(
        label="Số CCCD mới",
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text="12 chữ số, khớp với giới tính và năm sinh.",
    )
    gender = forms.ChoiceField(label="Giới tính", choices=Member._meta.get_field("gender").choices)
    birth_date = forms.DateField(
        label="Ngày sinh", widget=DATE_WIDGET, help_text="Sửa kèm nếu cũng nhập sai; số CCCD phải khớp với năm sinh."
    )
    reason = forms.CharField(
        label="Lý do",
        max_length=200,
        help_text="Ví dụ: cấp lại thẻ CCCD; sửa số nhập sai theo bản sao CCCD.",
    )

    def __init__(self, *args, member: Member, **kwargs):
        kwargs.setdefault("initial", {"gender": member.gender, "birth_date": member.birth_date})
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False  # members/member_action.html holds the <form>
        self.helper.add_input(Submit("save", "Đổi số CCCD"))


class StatusChangeForm(ChoicePromptMixin, forms.Form):
    """A status change and the decision it stands on. Offers only the transitions open from the member's status;
    which parts of the decision each one needs is members.models.TRANSITION_DECISION_FIELDS, checked by the service."""

    transition = forms.ChoiceField(label="Thay đổi")
    effective_on = PartyDateField(label="Ngày hiệu lực")
    decision_number = forms.CharField(label="Số quyết định / văn bản", max_length=60, required=False)
    decided_by = forms.CharField(
        label="Cơ quan quyết định",
        max_length=255,
        required=False,
        help_text="Ví dụ: Đảng ủy phường Xương Giang; Ủy ban Kiểm tra Tỉnh ủy.",
    )
    decided_on = PartyDateField(label="Ngày quyết định", required=False)
    reason = forms.CharField(label="Lý do", widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, member: Member, **kwargs):
        super().__init__(*args, **kwargs)
        available = {t.name for t in member.get_available_status_transitions()}
        self.fields["transition"].choices = [
            ("", "— Chọn thay đổi —"),
            *((t.value, t.label) for t in MemberTransition if t.value in available),
        ]
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", "Tiếp tục"))

    @property
    def has_choices(self) -> bool:
        return len(self.fields["transition"].choices) > 1


class TransferForm(ChoicePromptMixin, forms.Form):
    to_branch = forms.ModelChoiceField(label="Chuyển đến chi bộ", queryset=Organization.objects.none())
    effective_on = PartyDateField(label="Ngày chuyển")
    decision_number = forms.CharField(label="Số giấy giới thiệu / quyết định", max_length=60, required=False)
    reason = forms.CharField(label="Lý do", max_length=255, initial="Chuyển sinh hoạt đảng")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        offer_organizations(self.fields["to_branch"], branches_for(user, Action.RECORD_DECISION))
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", "Chuyển sinh hoạt"))


# Above this many branches a select box is unusable on a phone: pick the unit from its page instead.
BRANCH_SELECT_LIMIT = 400


class MemberFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Tìm theo tên, CCCD, số thẻ", method="filter_search")
    org = django_filters.ModelChoiceFilter(label="Tổ chức", queryset=Organization.objects.none(), method="filter_org")
    status = django_filters.ChoiceFilter(label="Tình trạng", choices=MemberStatus.choices, empty_label="Đang sinh hoạt")
    gender = django_filters.ChoiceFilter(label="Giới tính", choices=Member._meta.get_field("gender").choices)
    age_band = django_filters.ChoiceFilter(label="Độ tuổi", choices=AGE_BAND_CHOICES, method="filter_age_band")
    ethnicity = django_filters.ChoiceFilter(label="Dân tộc", choices=Member._meta.get_field("ethnicity").choices)
    religion = django_filters.ChoiceFilter(label="Tôn giáo", choices=Member._meta.get_field("religion").choices)
    political_theory = django_filters.ChoiceFilter(
        label="Lý luận chính trị", choices=[c for c in Member._meta.get_field("political_theory").choices if c[0]]
    )
    probation_due = django_filters.ChoiceFilter(
        label="Dự bị đến hạn xét",
        choices=[
            ("ended", "Đã hết 12 tháng, chưa xét"),
            *((str(days), f"Đến hạn trong {days} ngày") for days in PROBATION_DUE_WINDOWS),
        ],
        method="filter_probation_due",
    )

    class Meta:
        model = Member
        form = FilterForm
        fields = [
            "q",
            "org",
            "status",
            "probation_due",
            "gender",
            "age_band",
            "ethnicity",
            "religion",
            "political_theory",
        ]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.personal_id_notice = self.personal_id_refusal = ""
        scope = in_scope(user, Organization.objects.all())
        self.filters["org"].field.queryset = scope  # validates the choice (the form copies the field)
        org_field = self.form.fields["org"]
        # Unordered with a limit: at province level the database stops at the limit instead of sorting 15,000 names.
        branches = branches_in_scope(user).order_by().annotate(parent_name=parent_name_of())
        choices = list(branches.values_list("pk", "name", "parent_name")[: BRANCH_SELECT_LIMIT + 1])
        if len(choices) <= BRANCH_SELECT_LIMIT:
            chosen = str(self.data.get("org", "")) if self.is_bound else ""
            if chosen.isdecimal() and int(chosen) not in {pk for pk, _, _ in choices}:
                # A unit above the branches (a link from its page): offered too, so the select shows the filter.
                choices += (
                    scope.filter(pk=int(chosen))
                    .annotate(parent_name=parent_name_of())
                    .values_list("pk", "name", "parent_name")
                )
            ordered = natural_order(choices, name=lambda choice: choice[1], parent_name=lambda choice: choice[2])
            org_field.widget.choices = [("", "Tất cả"), *((pk, qualify(name, parent)) for pk, name, parent in ordered)]
        else:
            org_field.widget = forms.HiddenInput()
        # Plain Bootstrap widgets: the filter bar is on every list request, crispy's per-field templates cost.
        for field in self.form.fields.values():
            if type(field.widget) is forms.Select:
                field.widget = QuickSelect(attrs={"class": "form-select form-select-sm"}, choices=field.widget.choices)
            else:
                field.widget.attrs["class"] = "form-control form-control-sm"

    def filter_queryset(self, queryset):
        # No status chosen means the members in activity: the everyday list.
        if not self.form.cleaned_data.get("status"):
            queryset = queryset.filter(status__in=ACTIVE_STATUSES)
        queryset = super().filter_queryset(queryset)
        if self.personal_id_refusal:
            self.form.add_error("q", self.personal_id_refusal)
        return queryset

    def filter_search(self, queryset, name, value):
        from .personal_ids import find_member_by_personal_id, lookups_left, personal_id_in_query
        from .selectors import search_members

        personal_id = personal_id_in_query(value)
        if personal_id is None:
            return search_members(queryset, value)
        # A full CCCD: an audited reveal, limited per hour; refused, the digits still match card numbers.
        try:
            holder = find_member_by_personal_id(actor=self.user, queryset=queryset, personal_id=personal_id)
        except DomainError as refusal:
            self.personal_id_refusal = refusal.message
            return search_members(queryset, personal_id)
        self.personal_id_notice = (
            f"Tìm theo số CCCD được ghi vào nhật ký truy cập; còn {lookups_left(self.user)} lượt trong giờ này."
        )
        return search_members(queryset, personal_id, personal_id_holder=holder.pk if holder else None)

    def filter_org(self, queryset, name, value):
        return queryset.filter(branch__path__startswith=value.path)

    def filter_probation_due(self, queryset, name, value):
        from partyorg.lib.dates import today

        return probation_due(queryset, value, on=today())

    def filter_age_band(self, queryset, name, value):
        from partyorg.lib.dates import today

        from .selectors import birth_date_range_for_age_band

        born_from, born_to = birth_date_range_for_age_band(value, on=today())
        return queryset.filter(birth_date__range=(born_from, born_to))


# A roster of a whole province is a few megabytes; far more is not a roster.
ROSTER_MAX_BYTES = 30 * 1024 * 1024


class RosterUploadForm(ChoicePromptMixin, forms.Form):
    organization = forms.ModelChoiceField(
        label="Tổ chức của danh sách",
        queryset=Organization.objects.none(),
        help_text="Tên chi bộ ở cột «Chi bộ» được tìm trong tổ chức này.",
    )
    file = forms.FileField(label="Tệp Excel (.xlsx)", widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        importable = organizations_for(user, Action.IMPORT_ROSTER, Organization.objects.filter(active_to__isnull=True))
        offer_organizations(self.fields["organization"], importable, tree=True)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_file(self):
        from .roster import RosterFileError, check_roster_file

        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError("Chỉ nhận tệp Excel .xlsx (lưu lại tệp .xls hoặc .csv thành .xlsx).")
        if upload.size > ROSTER_MAX_BYTES:
            raise forms.ValidationError(f"Tệp lớn quá {ROSTER_MAX_BYTES // 1024 // 1024} MB.")
        try:
            check_roster_file(upload)
        except RosterFileError as error:
            raise forms.ValidationError(error.message) from error
        return upload
