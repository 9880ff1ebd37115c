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
    assert load_settings(SERVICES["agencies"].spec, {"KINERJA_TOPIC_PARTITIONS": ""}).topic_partitions == 12


def test_topics_are_created_with_their_partitions_replicas_and_retention():
    settings = load_settings(SERVICES["indicators"].spec, {
        "KINERJA_NAMESPACE": "t1_", "KINERJA_TOPIC_REPLICATION": "3", "KINERJA_TOPIC_MIN_INSYNC": "2",
        "KINERJA_TOPIC_PARTITIONS_BY_TOPIC": "indicators.events=24", "KINERJA_DLT_RETENTION_MS": "1000"})
    assert settings.topic_settings("t1_kinerja.agencies.events") == (12, 3, {
        "min.insync.replicas": "2", "cleanup.policy": "compact", "retention.ms": "-1"})  # replicas are rebuilt from it
    assert settings.topic_settings("t1_kinerja.indicators.events") == (24, 3, {
        "min.insync.replicas": "2", "retention.ms": str(30 * 86_400_000)})
    assert settings.topic_settings("t1_kinerja.indicators.dlt")[2]["retention.ms"] == "1000"
    single = load_settings(SERVICES["indicators"].spec, {"KINERJA_TOPIC_MIN_INSYNC": "2"})
    assert single.topic_settings("kinerja.reforms.events")[2]["min.insync.replicas"] == "1"  # never above the replicas


def test_secrets_come_from_files(tmp_path):
    secret, password = tmp_path / "jwt", tmp_path / "kafka"
    secret.write_text("s" * 40 + "\n")
    password.write_text("rahasia\n")
    settings = load_settings(SERVICES["agencies"].spec, {
        "KINERJA_JWT_SECRET_FILE": str(secret), "KINERJA_KAFKA_SECURITY_PROTOCOL": "SASL_SSL",
        "KINERJA_KAFKA_SSL_CAFILE": "/etc/kafka/ca.pem", "KINERJA_KAFKA_SASL_MECHANISM": "SCRAM-SHA-512",
        "KINERJA_KAFKA_SASL_USERNAME": "kinerja", "KINERJA_KAFKA_SASL_PASSWORD_FILE": str(password)})
    assert settings.jwt_secret == "s" * 40 and settings.auth_configured
    assert settings.kafka_client_options() == {
        "bootstrap_servers": ["127.0.0.1:9092"], "security_protocol": "SASL_SSL", "ssl_cafile": "/etc/kafka/ca.pem",
        "sasl_mechanism": "SCRAM-SHA-512", "sasl_plain_username": "kinerja", "sasl_plain_password": "rahasia"}
    assert load_settings(SERVICES["agencies"].spec, {}).kafka_client_options() == {
        "bootstrap_servers": ["127.0.0.1:9092"], "security_protocol": "PLAINTEXT"}


@pytest.mark.parametrize("environment, named", [
    ({"KINERJA_JWT_SECRET_FILE": "/no/such/file"}, "KINERJA_JWT_SECRET_FILE"),
    ({"KINERJA_KAFKA_SECURITY_PROTOCOL": "SASL_PLAINTEXT"}, "KINERJA_KAFKA_SASL_MECHANISM"),
    ({"KINERJA_KAFKA_SECURITY_PROTOCOL": "KERBEROS"}, "KINERJA_KAFKA_SECURITY_PROTOCOL"),
    ({"KINERJA_TOPIC_PARTITIONS_BY_TOPIC": "agencies.events"}, "KINERJA_TOPIC_PARTITIONS_BY_TOPIC"),
    ({"KINERJA_TOPIC_PARTITIONS_BY_TOPIC": "agencies.events=0"}, "KINERJA_TOPIC_PARTITIONS_BY_TOPIC"),
    ({"KINERJA_INSTANCE_ID": "pod name"}, "KINERJA_INSTANCE_ID"),
])
def test_a_missing_file_or_an_incomplete_security_setting_is_named(environment, named):
    with pytest.raises(SettingsError) as raised:
        load_settings(SERVICES["agencies"].spec, environment)
    assert named in str(raised.value)


def test_a_short_secret_from_a_file_is_refused(tmp_path):
    (tmp_path / "jwt").write_text("short")
    with pytest.raises(SettingsError, match="at least 32"):
        load_settings(SERVICES["agencies"].spec, {"KINERJA_JWT_SECRET_FILE": str(tmp_path / "jwt")})


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
