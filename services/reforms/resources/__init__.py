"""HTTP resources of the reforms service, one package per resource."""
from shared.http.replica_routes import agency_replica_blueprint
from services.reforms.resources.activities.routes import blp as activities_blp
from services.reforms.resources.commitments.routes import blp as commitments_blp
from services.reforms.resources.culture.routes import blp as culture_blp
from services.reforms.resources.follow_ups.routes import blp as follow_ups_blp
from services.reforms.resources.reference.routes import blp as reference_blp
from services.reforms.resources.summary.routes import blp as summary_blp


def blueprints():
    return [agency_replica_blueprint(), summary_blp, activities_blp, follow_ups_blp, commitments_blp, culture_blp,
            reference_blp]
