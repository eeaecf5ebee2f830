"""Events written at the same moment from many connections still form one unbroken
chain: the writers queue on the chain head's row lock (PostgreSQL)."""

import threading

import pytest
from django.db import connections

from org import audit
from org.audit_models import AuditEvent

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

THREADS, EACH = 8, 10


def test_concurrent_writers_keep_one_chain(postgres):
    start = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def write(n: int) -> None:
        try:
            start.wait()
            for i in range(EACH):
                audit.record(action="test.concurrent", detail={"thread": n, "i": i})
        except BaseException as error:  # reported below, in the test's thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert AuditEvent.objects.count() == THREADS * EACH
    seqs = list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, THREADS * EACH + 1))
    broken, checked = audit.verify_chain()
    assert (broken, checked) == (None, THREADS * EACH)
