"""The dashboard's server: the page, its one library (Chart.js, from dashboard/node_modules: `npm ci`), and
/config.json telling the page where the three APIs are. It holds no data and no token; the browser calls the
APIs itself with the user's bearer token (the APIs allow this origin through KINERJA_CORS_ORIGINS).

    gunicorn -b 127.0.0.1:8000 dashboard.server:app
    KINERJA_DASHBOARD_APIS="agencies=http://…,indicators=http://…,reforms=http://…" (default: 127.0.0.1 ports)
"""
from __future__ import annotations

import os
from pathlib import Path

from flask import Flask, jsonify, send_from_directory

from services.registry import SERVICES

HERE = Path(__file__).resolve().parent
STATIC, VENDOR = HERE / "static", HERE / "node_modules" / "chart.js" / "dist"


def api_urls(text: str | None) -> dict[str, str]:
    urls = {name: f"http://127.0.0.1:{service.spec.api_port}" for name, service in SERVICES.items()}
    for pair in filter(None, (text or "").split(",")):
        name, _, url = pair.partition("=")
        if name.strip() not in SERVICES or not url.strip():
            raise SystemExit(f"KINERJA_DASHBOARD_APIS: {pair!r} is not <service>=<url> (services: {list(SERVICES)})")
        urls[name.strip()] = url.strip().rstrip("/")
    return urls


def create_app(apis: dict[str, str] | None = None) -> Flask:
    if not (VENDOR / "chart.umd.min.js").exists():
        raise SystemExit("dashboard/node_modules is missing: run `make dashboard` (npm ci in dashboard/)")
    app = Flask("kinerja.dashboard", static_folder=None)
    config = {"apis": apis or api_urls(os.environ.get("KINERJA_DASHBOARD_APIS"))}

    @app.get("/")
    def index():
        return send_from_directory(STATIC, "index.html", max_age=0)

    @app.get("/static/<path:name>")
    def static_file(name: str):
        return send_from_directory(STATIC, name, max_age=0)

    @app.get("/vendor/chart.js")
    def chart_js():
        return send_from_directory(VENDOR, "chart.umd.min.js", max_age=3600)

    @app.get("/config.json")
    def config_json():
        return jsonify(config)

    @app.get("/healthz")
    def healthz():
        return jsonify(status="ok")

    @app.errorhandler(404)
    def not_found(_):
        return jsonify(detail="not found"), 404

    return app




def __getattr__(name: str):
    """`dashboard.server:app` for gunicorn, built when asked for (importing the module builds nothing)."""
    if name == "app":
        return create_app()
    raise AttributeError(name)
