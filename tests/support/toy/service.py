"""The toy service: POST /api/v1/toys makes a toy (state, event and audit record in one write, through the
store), its worker's relay publishes `kinerja.toy.made.v1`, its own consumer records that it saw it, and
GET /api/v1/toys/{id} says so. Nothing about it is written outside this module."""
from __future__ import annotations

import uuid

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import fields
from mongoengine import Document, StringField
from pymongo.database import Database

from shared.auth.directory import AgencyDirectory
from shared.auth.policy import Action, authorize
from shared.commands import NO_AGENCY, CommandContext, Kind
from shared.db import collection
from shared.events.contracts import ContractSchema, EventContract, register
from shared.events.handlers import HandlerRegistry
from shared.http.auth import current_principal
from shared.http.context import repository
from shared.replicas.agencies import AgencyReplica
from shared.service import Service, ServiceSpec
from shared.settings import Settings
from shared.store.aggregates import AggregateStore
from shared.store.outbox import OutboxDocument


class Toy(OutboxDocument):
    meta = {"collection": "toys"}
    id = StringField(primary_key=True)
    name = StringField(required=True)


class Sighting(Document):
    meta = {"collection": "sightings"}
    id = StringField(primary_key=True)
    event_id = StringField()


class ToySnapshot(ContractSchema):
    id = fields.String(required=True)
    name = fields.String(required=True)


class ToyMade(ContractSchema):
    toy = fields.Nested(ToySnapshot, required=True)


TOY_MADE = register(EventContract("kinerja.toy.made.v1", ToyMade, "toys.events", "A toy was made."))
TOY = Kind("toy", lambda state: {"id": state["id"], "name": state["name"]})


class ToyRepository:
    def __init__(self, db: Database, settings: Settings):
        self.toys = AggregateStore(collection(db, Toy), TOY, source=settings.service)
        self.sightings = collection(db, Sighting)
        self.directory = AgencyDirectory(collection(db, AgencyReplica))  # admins only: no agency is looked up


def handlers(repo: ToyRepository) -> HandlerRegistry:
    registry = HandlerRegistry()
    registry.on(TOY_MADE, lambda event, data: repo.sightings.update_one(
        {"_id": event.subject}, {"$set": {"event_id": event.id}}, upsert=True))
    return registry


def blueprints() -> list[Blueprint]:
    blp = Blueprint("toys", __name__, url_prefix="/toys", description="Toys.")

    @blp.route("")
    class Toys(MethodView):
        @blp.response(201)
        def post(self):
            """Make a toy"""
            ctx = CommandContext(current_principal())
            authorize(ctx.principal, Action.WRITE, None)
            state = {"id": uuid.uuid4().hex, "name": "kite"}
            return repository().toys.create(ctx.created(TOY, state, TOY_MADE, action="make", agency=NO_AGENCY)), 201

    @blp.route("/<toy_id>")
    class ToyById(MethodView):
        @blp.response(200)
        def get(self, toy_id):
            """A toy, and whether the worker saw its event"""
            seen = repository().sightings.find_one({"_id": toy_id})
            return {"toy": repository().toys.get(toy_id), "seen_event": seen and seen["event_id"]}

    return [blp]


SERVICE = Service(
    spec=ServiceSpec("toys", "Toys", "A toy service, declared once.", api_port=8999, worker_port=8998,
                     produces=True, consumes=("toys.events",)),
    documents=(Toy, Sighting, AgencyReplica),
    outbox_documents=(Toy,),
    repository=ToyRepository,
    blueprints=blueprints,
    handlers=handlers,
)
