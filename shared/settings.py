"""Settings from environment variables, validated once at start-up.

A bad value stops the process with a message naming the variable, instead of failing later
in the middle of a request. Every service reads the same variables; the service name only
picks the defaults (port, database name, consumer group).
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Mapping

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate

from shared.service import ServiceSpec


_LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
_KAFKA_PROTOCOLS = ("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL")
_SASL_MECHANISMS = ("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512")
# Topics kept forever as the newest event of each aggregate: the replicas of other services are rebuilt from them.
COMPACTED_TOPICS = ("agencies.events",)


class SettingsError(SystemExit):
    """Raised (as a process exit) when the environment holds an invalid value."""


class _EnvSchema(Schema):
    """Each field's data_key is the environment variable it comes from."""

    class Meta:
        unknown = EXCLUDE

    namespace = fields.String(
        data_key="KINERJA_NAMESPACE",
        load_default="",
        validate=validate.Regexp(r"^[a-z0-9_]*$", error="only lower-case letters, digits and '_' are allowed"),
    )
    mongo_uri = fields.String(
        data_key="KINERJA_MONGO_URI",
        load_default="mongodb://127.0.0.1:27017",
        validate=validate.Regexp(r"^mongodb(\+srv)?://", error="must start with mongodb:// or mongodb+srv://"),
    )
    mongo_db = fields.String(data_key="KINERJA_MONGO_DB", load_default=None,
                             validate=validate.Regexp(r"^[A-Za-z0-9_-]{1,63}$"))
    kafka_bootstrap = fields.String(
        data_key="KINERJA_KAFKA_BOOTSTRAP",
        load_default="127.0.0.1:9092",
        validate=validate.Regexp(r"^[^,\s:]+:\d+(,[^,\s:]+:\d+)*$", error="must be host:port[,host:port...]"),
    )
    kafka_security_protocol = fields.String(data_key="KINERJA_KAFKA_SECURITY_PROTOCOL", load_default="PLAINTEXT",
                                            validate=validate.OneOf(_KAFKA_PROTOCOLS))
    kafka_ssl_cafile = fields.String(data_key="KINERJA_KAFKA_SSL_CAFILE", load_default=None)
    kafka_ssl_certfile = fields.String(data_key="KINERJA_KAFKA_SSL_CERTFILE", load_default=None)
    kafka_ssl_keyfile = fields.String(data_key="KINERJA_KAFKA_SSL_KEYFILE", load_default=None)
    kafka_sasl_mechanism = fields.String(data_key="KINERJA_KAFKA_SASL_MECHANISM", load_default=None,
                                         validate=validate.OneOf(_SASL_MECHANISMS))
    kafka_sasl_username = fields.String(data_key="KINERJA_KAFKA_SASL_USERNAME", load_default=None)
    kafka_sasl_password = fields.String(data_key="KINERJA_KAFKA_SASL_PASSWORD", load_default=None)
    kafka_sasl_password_file = fields.String(data_key="KINERJA_KAFKA_SASL_PASSWORD_FILE", load_default=None)
    instance_id = fields.String(data_key="KINERJA_INSTANCE_ID", load_default=None, validate=validate.Regexp(
        r"^[A-Za-z0-9._-]{1,200}$", error="letters, digits, '.', '_' or '-' (a pod or process name)"), metadata={
        "description": "This process's stable name (the pod's): static membership of its consumer group"})
    topic_partitions = fields.Integer(data_key="KINERJA_TOPIC_PARTITIONS", load_default=12,
                                      validate=validate.Range(min=1, max=1000))
    topic_partitions_by_topic = fields.String(data_key="KINERJA_TOPIC_PARTITIONS_BY_TOPIC", load_default="",
                                              validate=validate.Regexp(
                                                  r"^([a-z0-9._-]+=[1-9]\d{0,3}(,[a-z0-9._-]+=[1-9]\d{0,3})*)?$",
                                                  error="must be topic=partitions[,topic=partitions...]"),
                                              metadata={"description": "e.g. agencies.events=6,indicators.events=24"})
    topic_replication = fields.Integer(data_key="KINERJA_TOPIC_REPLICATION", load_default=1,
                                       validate=validate.Range(min=1, max=10))
    topic_min_insync = fields.Integer(data_key="KINERJA_TOPIC_MIN_INSYNC", load_default=1,
                                      validate=validate.Range(min=1, max=10))
    topic_retention_ms = fields.Integer(data_key="KINERJA_TOPIC_RETENTION_MS", load_default=30 * 86_400_000,
                                        validate=validate.Range(min=-1), metadata={
                                            "description": "Event topics but the agencies' (compacted); -1: forever"})
    dlt_retention_ms = fields.Integer(data_key="KINERJA_DLT_RETENTION_MS", load_default=90 * 86_400_000,
                                      validate=validate.Range(min=-1))
    mongo_server_selection_ms = fields.Integer(data_key="KINERJA_MONGO_SERVER_SELECTION_MS", load_default=3000,
                                               validate=validate.Range(min=100, max=600000), metadata={
                                                   "description": "How long a request waits for a primary (a "
                                                                  "replica set election takes ~10 s)"})
    max_body_bytes = fields.Integer(data_key="KINERJA_MAX_BODY_BYTES", load_default=1024 * 1024,
                                    validate=validate.Range(min=1024, max=64 * 1024 * 1024))
    max_upload_bytes = fields.Integer(data_key="KINERJA_MAX_UPLOAD_BYTES", load_default=8 * 1024 * 1024,
                                      validate=validate.Range(min=1024, max=256 * 1024 * 1024), metadata={
                                          "description": "The largest file an upload route takes (XLSX templates, "
                                                         "imports); other bodies: KINERJA_MAX_BODY_BYTES"})
    log_level = fields.String(data_key="KINERJA_LOG_LEVEL", load_default="INFO", validate=validate.OneOf(_LOG_LEVELS))
    jwt_secret = fields.String(data_key="KINERJA_JWT_SECRET", load_default=None,
                               validate=validate.Length(min=32, error="must be at least 32 characters"))
    jwt_secret_file = fields.String(data_key="KINERJA_JWT_SECRET_FILE", load_default=None, metadata={
        "description": "A file holding the secret (a compose or Kubernetes secret)"})
    jwt_public_key = fields.String(data_key="KINERJA_JWT_PUBLIC_KEY", load_default=None)
    jwt_public_key_file = fields.String(data_key="KINERJA_JWT_PUBLIC_KEY_FILE", load_default=None)
    jwt_issuer = fields.String(data_key="KINERJA_JWT_ISSUER", load_default=None)
    jwt_audience = fields.String(data_key="KINERJA_JWT_AUDIENCE", load_default=None)
    agency_parent_rules = fields.String(data_key="KINERJA_AGENCY_RULES", load_default=None, metadata={
        "description": 'JSON: agency type -> allowed parent types (null = root), e.g. {"province": [null]}'})
    relay_batch_size = fields.Integer(data_key="KINERJA_RELAY_BATCH_SIZE", load_default=500,
                                      validate=validate.Range(min=1, max=10000))
    relay_idle_ms = fields.Integer(data_key="KINERJA_RELAY_IDLE_MS", load_default=50,
                                   validate=validate.Range(min=1, max=60000))
    relay_lease_s = fields.Float(data_key="KINERJA_RELAY_LEASE_S", load_default=20.0,
                                 validate=validate.Range(min=2, max=600), metadata={
                                     "description": "How soon a standby relay takes over from one that died"})
    consumer_max_retries = fields.Integer(data_key="KINERJA_CONSUMER_MAX_RETRIES", load_default=3,
                                          validate=validate.Range(min=0, max=100))
    consumer_backoff_ms = fields.Integer(data_key="KINERJA_CONSUMER_BACKOFF_MS", load_default=100,
                                         validate=validate.Range(min=0, max=60000))
    consumer_max_backoff_ms = fields.Integer(data_key="KINERJA_CONSUMER_MAX_BACKOFF_MS", load_default=30000,
                                             validate=validate.Range(min=1, max=600000))
    consumer_dlt_max_share = fields.Float(data_key="KINERJA_CONSUMER_DLT_MAX_SHARE", load_default=0.5,
                                          validate=validate.Range(min=0.0, max=1.0))
    consumer_dlt_window = fields.Integer(data_key="KINERJA_CONSUMER_DLT_WINDOW", load_default=100,
                                         validate=validate.Range(min=1, max=100000))
    relay_max_attempts = fields.Integer(data_key="KINERJA_RELAY_MAX_ATTEMPTS", load_default=10,
                                        validate=validate.Range(min=1, max=1000))
    relay_backoff_ms = fields.Integer(data_key="KINERJA_RELAY_BACKOFF_MS", load_default=500,
                                      validate=validate.Range(min=1, max=600000))
    relay_max_backoff_ms = fields.Integer(data_key="KINERJA_RELAY_MAX_BACKOFF_MS", load_default=60000,
                                          validate=validate.Range(min=1, max=3600000))
    outbox_max_pending = fields.Integer(data_key="KINERJA_OUTBOX_MAX_PENDING", load_default=100,
                                       validate=validate.Range(min=1, max=10000))
    cors_origins = fields.String(data_key="KINERJA_CORS_ORIGINS", load_default="", metadata={
        "description": "Comma-separated origins allowed to call the API from a browser (dashboards)"})
    worker_bind = fields.String(data_key="KINERJA_WORKER_BIND", load_default=None, validate=validate.Regexp(
        r"^[^\s:]+:\d{1,5}$", error="must be host:port"), metadata={
        "description": "Where the worker serves /healthz and /metrics (port 0: any free port)"})


@dataclass(frozen=True)
class Settings:
    spec: ServiceSpec
    namespace: str
    mongo_uri: str
    mongo_db: str
    kafka_bootstrap: str
    kafka_security_protocol: str
    kafka_ssl_cafile: str | None
    kafka_ssl_certfile: str | None
    kafka_ssl_keyfile: str | None
    kafka_sasl_mechanism: str | None
    kafka_sasl_username: str | None
    kafka_sasl_password: str | None
    kafka_sasl_password_file: str | None
    instance_id: str | None
    topic_partitions: int
    topic_partitions_by_topic: str
    topic_replication: int
    topic_min_insync: int
    topic_retention_ms: int
    dlt_retention_ms: int
    mongo_server_selection_ms: int
    max_body_bytes: int
    max_upload_bytes: int
    log_level: str
    jwt_secret: str | None
    jwt_secret_file: str | None
    jwt_public_key: str | None
    jwt_public_key_file: str | None
    jwt_issuer: str | None
    jwt_audience: str | None
    agency_parent_rules: str | None
    relay_batch_size: int
    relay_idle_ms: int
    relay_lease_s: float
    consumer_max_retries: int
    consumer_backoff_ms: int
    consumer_max_backoff_ms: int
    consumer_dlt_max_share: float
    consumer_dlt_window: int
    relay_max_attempts: int
    relay_backoff_ms: int
    relay_max_backoff_ms: int
    outbox_max_pending: int
    cors_origins: str
    worker_bind: str

    @property
    def kafka_servers(self) -> list[str]:
        return self.kafka_bootstrap.split(",")

    @property
    def service(self) -> str:
        return self.spec.name

    @property
    def default_port(self) -> int:
        return self.spec.api_port

    @property
    def cors_origin_list(self) -> list[str]:
        return [origin.strip() for origin in self.cors_origins.split(",") if origin.strip()]

    def topic(self, name: str) -> str:
        """A Kafka topic name inside this deployment's namespace (test runs use their own)."""
        return f"{self.namespace}kinerja.{name}"

    def kafka_client_options(self) -> dict:
        """What every Kafka client (producer, consumer, admin) is given to reach the cluster: the bootstrap
        servers and, for a managed or secured cluster, TLS and SASL."""
        options: dict = {"bootstrap_servers": self.kafka_servers, "security_protocol": self.kafka_security_protocol}
        if self.kafka_security_protocol in ("SSL", "SASL_SSL"):
            options.update(ssl_cafile=self.kafka_ssl_cafile, ssl_certfile=self.kafka_ssl_certfile,
                           ssl_keyfile=self.kafka_ssl_keyfile)
        if self.kafka_security_protocol.startswith("SASL"):
            options.update(sasl_mechanism=self.kafka_sasl_mechanism, sasl_plain_username=self.kafka_sasl_username,
                           sasl_plain_password=self.kafka_sasl_password)
        return {k: v for k, v in options.items() if v is not None}

    def topic_settings(self, topic: str) -> tuple[int, int, dict[str, str]]:
        """Partitions, replication factor and configs of one of our topics (`topic`: its full name)."""
        name = topic[len(self.namespace) + len("kinerja."):] if topic.startswith(self.topic("")) else topic
        overrides = dict(pair.split("=") for pair in filter(None, self.topic_partitions_by_topic.split(",")))
        configs = {"min.insync.replicas": str(min(self.topic_min_insync, self.topic_replication))}
        if name in COMPACTED_TOPICS:
            configs.update({"cleanup.policy": "compact", "retention.ms": "-1"})
        elif name.endswith(".dlt"):
            configs["retention.ms"] = str(self.dlt_retention_ms)
        else:
            configs["retention.ms"] = str(self.topic_retention_ms)
        return int(overrides.get(name, self.topic_partitions)), self.topic_replication, configs

    @property
    def auth_configured(self) -> bool:
        return bool(self.jwt_secret or self.jwt_public_key)

    def consumer_group(self) -> str:
        return f"{self.namespace}kinerja.{self.service}"


def load_settings(spec: ServiceSpec, environ: Mapping[str, str] | None = None) -> Settings:
    """Read and validate the settings of the service `spec` describes from `environ` (default: the
    process environment); the spec gives the defaults (ports, database name, consumer group)."""
    service = spec.name
    env = dict(os.environ if environ is None else environ)
    # An empty variable means "not set", as in docker compose files that pass ${VAR:-}.
    env = {key: value for key, value in env.items() if value != ""}
    try:
        values = _EnvSchema().load(env)
    except ValidationError as err:
        problems = "; ".join(f"{var}: {' '.join(msgs)}" for var, msgs in sorted(err.messages.items()))
        raise SettingsError(f"invalid configuration for the {service} service: {problems}") from None
    for field, variable in (("jwt_secret", "KINERJA_JWT_SECRET"), ("kafka_sasl_password", "KINERJA_KAFKA_SASL_PASSWORD")):
        path = values[f"{field}_file"]
        if path and not values[field]:
            try:
                with open(path, encoding="utf-8") as secret_file:
                    values[field] = secret_file.read().strip()
            except OSError as err:
                raise SettingsError(f"{variable}_FILE: cannot read {path}: {err}") from None
    if values["jwt_secret"] and len(values["jwt_secret"]) < 32:
        raise SettingsError("KINERJA_JWT_SECRET(_FILE): the secret must be at least 32 characters")
    if values["kafka_security_protocol"].startswith("SASL") and not (
            values["kafka_sasl_mechanism"] and values["kafka_sasl_username"] and values["kafka_sasl_password"]):
        raise SettingsError("KINERJA_KAFKA_SECURITY_PROTOCOL=SASL_*: set KINERJA_KAFKA_SASL_MECHANISM, "
                            "KINERJA_KAFKA_SASL_USERNAME and KINERJA_KAFKA_SASL_PASSWORD (or _FILE)")
    if values["jwt_public_key_file"]:
        try:
            with open(values["jwt_public_key_file"], encoding="utf-8") as key_file:
                values["jwt_public_key"] = key_file.read()
        except OSError as err:
            raise SettingsError(f"KINERJA_JWT_PUBLIC_KEY_FILE: cannot read {values['jwt_public_key_file']}: {err}") from None
    if values["jwt_secret"] and values["jwt_public_key"]:
        raise SettingsError("set either KINERJA_JWT_SECRET (HS256, development) or a public key (RS256/ES256), not both")
    if values["worker_bind"] is None:
        values["worker_bind"] = f"127.0.0.1:{spec.worker_port}"
    if values["mongo_db"] is None:
        values["mongo_db"] = f"{values['namespace']}kinerja_{service}"
    return Settings(spec=spec, **values)

