"""gunicorn entry point: `gunicorn services.reforms.wsgi:app`."""
from services.reforms.app import create_app

app = create_app()
