from django import forms
from django.utils.translation import gettext_lazy as _

from contactpoints.models import ContactPoint
from groups.models import Group, Topic


class InterestForm(forms.Form):
    """Meld interesse. (Fields and validation are completed with the interest flow.)"""

    name = forms.CharField(label=_("Navn eller fornavn"), max_length=100)

    def __init__(
        self,
        data=None,
        *,
        group: Group | None = None,
        contact_point: ContactPoint | None = None,
        topic: Topic | None = None,
        initial=None,
        **kwargs,
    ):
        super().__init__(data, initial=initial, **kwargs)
        self.group = group
        self.contact_point = contact_point
        self.topic = topic
