"""gunicorn entry point: `gunicorn services.agencies.wsgi:app`."""
from services.agencies.app import create_app

app = create_app()
