from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms

from partyorg.lib.forms import DATE_WIDGET

from .models import Organization, OrganizationKind
from .permissions import Action, organizations_for


class _HelperMixin:
    submit_label = "Lưu"

    def _add_helper(self):
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", self.submit_label))


class ChildOrganizationForm(_HelperMixin, forms.Form):
    submit_label = "Thành lập"
    kind = forms.ChoiceField(label="Loại hình", choices=OrganizationKind.choices)
    code = forms.CharField(label="Mã tổ chức", max_length=30)
    name = forms.CharField(label="Tên tổ chức", max_length=255)
    authorized_to_admit = forms.BooleanField(label="Được ủy quyền quyết định kết nạp", required=False)
    active_from = forms.DateField(label="Hoạt động từ ngày", widget=DATE_WIDGET, required=False)
    decision_number = forms.CharField(label="Số quyết định", max_length=60, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._add_helper()


class _TargetForm(_HelperMixin, forms.Form):
    effective_on = forms.DateField(label="Ngày hiệu lực", widget=DATE_WIDGET)
    decision_number = forms.CharField(label="Số quyết định", max_length=60, required=False)

    def __init__(self, *args, user, organization, **kwargs):
        super().__init__(*args, **kwargs)
        # Only where the user may act: a target outside their tree-editing roles would be refused anyway.
        candidates = organizations_for(
            user, Action.EDIT_TREE, Organization.objects.filter(active_to__isnull=True)
        ).exclude(path__startswith=organization.path)
        self.fields["target"].queryset = self.narrow(candidates, organization).order_by("path")
        self.fields["target"].label_from_instance = lambda o: f"{'— ' * (o.depth - 1)}{o.name}"
        self._add_helper()

    def narrow(self, candidates, organization):
        return candidates


class MoveOrganizationForm(_TargetForm):
    submit_label = "Chuyển trực thuộc"
    target = forms.ModelChoiceField(label="Chuyển vào trực thuộc", queryset=Organization.objects.none())
    field_order = ["target", "effective_on", "decision_number"]


class MergeOrganizationForm(_TargetForm):
    submit_label = "Hợp nhất"
    target = forms.ModelChoiceField(label="Hợp nhất vào", queryset=Organization.objects.none())
    field_order = ["target", "effective_on", "decision_number"]

    def narrow(self, candidates, organization):
        from .models import BRANCH_KINDS

        kinds = BRANCH_KINDS if organization.is_branch else (organization.kind,)
        return candidates.filter(kind__in=kinds)
