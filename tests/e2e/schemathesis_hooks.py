"""Schemathesis hooks (SCHEMATHESIS_HOOKS) of tests/e2e/test_api_fuzzing.py: upload routes take XLSX
bodies, which the fuzzer sends as the bytes it generates for a `format: binary` string."""
import schemathesis
from schemathesis.transport.serialization import serialize_binary

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@schemathesis.serializer(XLSX)
def xlsx(_context, value) -> bytes:
    return serialize_binary(value)
