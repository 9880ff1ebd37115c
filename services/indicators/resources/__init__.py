"""HTTP resources of the indicators service, one package per resource."""
from shared.http.replica_routes import agency_replica_blueprint
from services.indicators.resources.agreements.routes import blp as agreements_blp
from services.indicators.resources.indicators.routes import blp as indicators_blp
from services.indicators.resources.locks.routes import blp as locks_blp
from services.indicators.resources.plans.routes import blp as plans_blp
from services.indicators.resources.realisations.routes import blp as realisations_blp
from services.indicators.resources.reports.routes import blp as reports_blp
from services.indicators.resources.templates.routes import blp as templates_blp
from services.indicators.resources.rulepacks.routes import blp as rulepacks_blp
from services.indicators.resources.scorecards.routes import blp as scorecards_blp


def blueprints():
    return [agency_replica_blueprint(), indicators_blp, realisations_blp, scorecards_blp, locks_blp, rulepacks_blp, plans_blp,
            agreements_blp, reports_blp, templates_blp]
