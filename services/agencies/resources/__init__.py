"""HTTP resources of the agencies service, one package per resource."""
from services.agencies.resources.agencies.routes import blp as agencies_blp


def blueprints():
    return [agencies_blp]
