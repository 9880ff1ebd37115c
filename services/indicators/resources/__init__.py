"""HTTP resources of the indicators service, one package per resource."""
from shared.audit import audit_blueprint
from shared.replicas.agencies import agency_replica_blueprint


def blueprints():
    return [agency_replica_blueprint(), audit_blueprint()]
