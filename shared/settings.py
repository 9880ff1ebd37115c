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
    topic_partitions = fields.Integer(data_key="KINERJA_TOPIC_PARTITIONS", load_default=3,
                                      validate=validate.Range(min=1, max=1000))
    topic_replication = fields.Integer(data_key="KINERJA_TOPIC_REPLICATION", load_default=1,
                                       validate=validate.Range(min=1, max=10))
    max_body_bytes = fields.Integer(data_key="KINERJA_MAX_BODY_BYTES", load_default=1024 * 1024,
                                    validate=validate.Range(min=1024, max=64 * 1024 * 1024))
    log_level = fields.String(data_key="KINERJA_LOG_LEVEL", load_default="INFO", validate=validate.OneOf(_LOG_LEVELS))
    jwt_secret = fields.String(data_key="KINERJA_JWT_SECRET", load_default=None,
                               validate=validate.Length(min=32, error="must be at least 32 characters"))
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
    topic_partitions: int
    topic_replication: int
    max_body_bytes: int
    log_level: str
    jwt_secret: str | None
    jwt_public_key: str | None
    jwt_public_key_file: str | None
    jwt_issuer: str | None
    jwt_audience: str | None
    agency_parent_rules: str | None
    relay_batch_size: int
    relay_idle_ms: int
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

