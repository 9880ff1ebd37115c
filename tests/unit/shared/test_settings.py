import pytest

from shared.settings import SettingsError, load_settings
from services.registry import SERVICES, service_named


def test_defaults_follow_the_service():
    settings = load_settings(SERVICES["indicators"].spec, {})
    assert settings.mongo_db == "kinerja_indicators"
    assert settings.default_port == 8002
    assert settings.kafka_servers == ["127.0.0.1:9092"]
    assert settings.topic("agencies.events") == "kinerja.agencies.events"
    assert settings.consumer_group() == "kinerja.indicators"


def test_namespace_isolates_databases_topics_and_groups():
    settings = load_settings(SERVICES["reforms"].spec, {"KINERJA_NAMESPACE": "t1_"})
    assert settings.mongo_db == "t1_kinerja_reforms"
    assert settings.topic("agencies.events") == "t1_kinerja.agencies.events"
    assert settings.consumer_group() == "t1_kinerja.reforms"


def test_empty_variables_count_as_unset():
    assert load_settings(SERVICES["agencies"].spec, {"KINERJA_TOPIC_PARTITIONS": ""}).topic_partitions == 3


@pytest.mark.parametrize("variable, value", [
    ("KINERJA_TOPIC_PARTITIONS", "many"),
    ("KINERJA_TOPIC_PARTITIONS", "0"),
    ("KINERJA_MONGO_URI", "postgres://localhost"),
    ("KINERJA_KAFKA_BOOTSTRAP", "localhost"),
    ("KINERJA_LOG_LEVEL", "LOUD"),
    ("KINERJA_NAMESPACE", "Has Spaces"),
    ("KINERJA_MAX_BODY_BYTES", "12"),
])
def test_a_bad_value_stops_the_process_naming_the_variable(variable, value):
    with pytest.raises(SettingsError) as raised:
        load_settings(SERVICES["agencies"].spec, {variable: value})
    assert variable in str(raised.value)


def test_unknown_service_is_refused_naming_the_services():
    with pytest.raises(SystemExit, match="agencies, indicators, reforms"):
        service_named("payroll")
