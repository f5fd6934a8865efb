from django import forms

from partyorg.lib.forms import QuickSelect


class Choice(forms.Form):
    kind = forms.ChoiceField(
        choices=[("", "Tất cả"), ("a<b", "Dân tộc <Kinh>"), ("Nhóm", [("x", "Một"), ("y", "Hai")])],
        widget=QuickSelect(attrs={"class": "form-select"}),
        required=False,
    )


def test_renders_like_a_select_with_the_value_selected_and_text_escaped():
    html = str(Choice({"kind": "y"})["kind"])
    assert html.startswith('<select class="form-select" id="id_kind" name="kind">')
    assert '<option value="a&lt;b">Dân tộc &lt;Kinh&gt;</option>' in html
    assert (
        '<optgroup label="Nhóm"><option value="x">Một</option><option value="y" selected>Hai</option></optgroup>'
        in html
    )
    assert html.count(" selected") == 1


def test_same_choices_as_the_django_select():
    quick = Choice({"kind": "a<b"})["kind"]
    plain = forms.Select(choices=Choice.base_fields["kind"].choices).render("kind", "a<b")
    assert str(quick).count("<option") == plain.count("<option")
    assert 'value="a&lt;b" selected' in str(quick)
