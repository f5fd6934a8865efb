from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms

from partyorg.lib.forms import ChoicePromptMixin, PartyDateField

from .models import Organization, OrganizationKind, natural_order, with_parent_name
from .selectors import merge_targets, move_targets
from .services import ALLOWED_CHILD_KINDS


def offer_organizations(field: forms.ModelChoiceField, queryset, *, tree: bool = False) -> None:
    """Fill a select of units with `queryset`: every option qualified with its parent's name («Chi bộ Khu phố 1 —
    Đảng bộ phường Xương Giang»), in natural order (Khu phố 2 before 10); `tree` keeps the tree's order instead,
    indented by depth. One query; the queryset still validates the choice."""
    field.queryset = queryset
    units = list(with_parent_name(queryset.order_by("path")))
    if not tree:
        units = natural_order(units)
    indent = (lambda unit: "\u2003" * (unit.depth - 1)) if tree else (lambda unit: "")
    blank = [] if field.empty_label is None else [("", field.empty_label)]
    field.choices = blank + [(unit.pk, indent(unit) + unit.qualified_name) for unit in units]


class _DecisionForm(ChoicePromptMixin, forms.Form):
    """A tree change and its decision (organizations.services.TREE_DECISION_FIELDS): number, body, reason."""

    submit_label = "Tiếp tục"
    decision_number = forms.CharField(label="Số quyết định", max_length=60)
    decided_by = forms.CharField(
        label="Cơ quan quyết định", max_length=255, help_text="Ví dụ: Ban Thường vụ Đảng ủy phường Xương Giang."
    )
    reason = forms.CharField(label="Lý do", widget=forms.Textarea(attrs={"rows": 3}))

    def _add_helper(self):
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", self.submit_label))


class ChildOrganizationForm(_DecisionForm):
    kind = forms.ChoiceField(label="Loại hình")
    code = forms.CharField(label="Mã tổ chức", max_length=30)
    name = forms.CharField(label="Tên tổ chức", max_length=255)
    place_name = forms.CharField(
        label=Organization._meta.get_field("place_name").verbose_name.capitalize(),
        max_length=100,
        required=False,
        help_text=Organization._meta.get_field("place_name").help_text,
    )
    authorized_to_admit = forms.BooleanField(label="Được ủy quyền quyết định kết nạp", required=False)
    active_from = PartyDateField(label="Ngày hiệu lực (hoạt động từ ngày)")
    field_order = ["kind", "code", "name", "place_name", "authorized_to_admit", "active_from", "decision_number",
                   "decided_by"]  # fmt: skip

    def __init__(self, *args, parent: Organization, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the kinds that may sit under the parent (Điều lệ Đảng, Điều 21–25).
        allowed = ALLOWED_CHILD_KINDS[parent.kind]
        self.fields["kind"].choices = [("", "— Chọn loại hình —")] + [
            (kind.value, kind.label) for kind in OrganizationKind if kind in allowed
        ]
        self._add_helper()


class _TargetForm(_DecisionForm):
    effective_on = PartyDateField(label="Ngày hiệu lực")
    field_order = ["target", "effective_on", "decision_number", "decided_by", "reason"]

    def __init__(self, *args, user, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].empty_label = "— Chọn tổ chức —"
        offer_organizations(self.fields["target"], self.targets(user, organization), tree=True)
        self._add_helper()

    @property
    def has_choices(self) -> bool:
        return self.fields["target"].queryset.exists()


class MoveOrganizationForm(_TargetForm):
    target = forms.ModelChoiceField(label="Chuyển vào trực thuộc", queryset=Organization.objects.none())
    no_target = "Không có tổ chức nào đang hoạt động, thuộc phạm vi bạn quản lý, có thể nhận tổ chức này trực thuộc."

    def targets(self, user, organization):
        return move_targets(user, organization)


class MergeOrganizationForm(_TargetForm):
    target = forms.ModelChoiceField(label="Hợp nhất vào", queryset=Organization.objects.none())
    no_target = "Không có tổ chức cùng loại hình, đang hoạt động, thuộc phạm vi bạn quản lý để hợp nhất vào."

    def targets(self, user, organization):
        return merge_targets(user, organization)
