"""HTTP resources of the reforms service, one package per resource."""
from shared.audit import audit_blueprint
from shared.replicas.agencies import agency_replica_blueprint


def blueprints():
    return [agency_replica_blueprint(), audit_blueprint()]
