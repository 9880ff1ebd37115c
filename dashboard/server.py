"""The dashboard's server: the page, its libraries (Chart.js, and axe-core for the accessibility checks, from
dashboard/node_modules: `npm ci`), the page's words per language (/i18n/<lang>.json: dashboard/i18n/<lang>.json
with the labels of codes from shared.messages), and /config.json telling the page where the three APIs are. It
holds no data and no token; the browser calls the APIs itself with the user's bearer token (the APIs allow this
origin through KINERJA_CORS_ORIGINS), and the sign-in link's token is in the URL's fragment, which a browser never
sends to a server (so it is in no access log).

    gunicorn -b 127.0.0.1:8000 dashboard.server:app
    KINERJA_DASHBOARD_APIS="agencies=http://…,indicators=http://…,reforms=http://…" (default: 127.0.0.1 ports)
"""
from __future__ import annotations

import json
import os
from pathlib import Path

from flask import Flask, abort, jsonify, send_from_directory

from services.registry import SERVICES
from shared.messages import labels

HERE = Path(__file__).resolve().parent
STATIC, I18N, MODULES = HERE / "static", HERE / "i18n", HERE / "node_modules"
VENDOR = {"chart.js": (MODULES / "chart.js" / "dist", "chart.umd.min.js"), "axe.js": (MODULES / "axe-core", "axe.min.js")}
LANGUAGES = ("id", "en")


def catalogue(lang: str) -> dict[str, str]:
    """The page's words in `lang`: its own catalogue and the labels of codes (statuses, types, kinds)."""
    own = json.loads((I18N / f"{lang}.json").read_text(encoding="utf-8"))
    return {**labels(lang), **own}


def api_urls(text: str | None) -> dict[str, str]:
    urls = {name: f"http://127.0.0.1:{service.spec.api_port}" for name, service in SERVICES.items()}
    for pair in filter(None, (text or "").split(",")):
        name, _, url = pair.partition("=")
        if name.strip() not in SERVICES or not url.strip():
            raise SystemExit(f"KINERJA_DASHBOARD_APIS: {pair!r} is not <service>=<url> (services: {list(SERVICES)})")
        urls[name.strip()] = url.strip().rstrip("/")
    return urls


def create_app(apis: dict[str, str] | None = None) -> Flask:
    if not all((folder / name).exists() for folder, name in VENDOR.values()):
        raise SystemExit("dashboard/node_modules is missing: run `make dashboard` (npm ci in dashboard/)")
    app = Flask("kinerja.dashboard", static_folder=None)
    config = {"apis": apis or api_urls(os.environ.get("KINERJA_DASHBOARD_APIS"))}
    words = {lang: catalogue(lang) for lang in LANGUAGES}

    @app.get("/")
    def index():
        return send_from_directory(STATIC, "index.html", max_age=0)

    @app.get("/static/<path:name>")
    def static_file(name: str):
        return send_from_directory(STATIC, name, max_age=0)

    @app.get("/vendor/<any(\"chart.js\", \"axe.js\"):name>")
    def vendor(name: str):
        folder, file = VENDOR[name]
        return send_from_directory(folder, file, max_age=3600)

    @app.get("/i18n/<lang>.json")
    def i18n(lang: str):
        if lang not in words:
            abort(404)
        return jsonify(words[lang])

    @app.get("/config.json")
    def config_json():
        return jsonify(config)

    # The page holds a bearer token in its session storage: it runs only our scripts, talks only to the APIs,
    # is framed by no one, and sends no Referer (which could carry an address) anywhere.
    policy = "; ".join(["default-src 'self'", f"connect-src 'self' {' '.join(sorted(set(config['apis'].values())))}",
                        "img-src 'self' data: blob:", "style-src 'self'", "object-src 'none'", "base-uri 'none'",
                        "form-action 'none'", "frame-ancestors 'none'"])

    @app.after_request
    def headers(response):
        response.headers.setdefault("Content-Security-Policy", policy)
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response

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
