"""Django's JSON serializer, with times kept to the microsecond (``--format exactjson``).

Django's own JSON cuts datetimes to milliseconds (ECMA-262's format), so a backup made
with it would not give back the rows it was made from: timestamps would lose their
last three digits, and anything derived from them (the audit log's hash chain, the
workflow's "changed since") would no longer match. Registered in settings as
SERIALIZATION_MODULES["exactjson"]; backup and restore use it (org/backup.py).
"""

import datetime

from django.core.serializers import json as django_json
from django.core.serializers.json import DjangoJSONEncoder


class ExactJSONEncoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            if isinstance(o, datetime.time) and o.utcoffset() is not None:
                raise ValueError("JSON can't represent timezone-aware times.")
            return o.isoformat()
        return super().default(o)


class Serializer(django_json.Serializer):
    def _init_options(self):
        super()._init_options()
        self.json_kwargs["cls"] = ExactJSONEncoder


Deserializer = django_json.Deserializer
