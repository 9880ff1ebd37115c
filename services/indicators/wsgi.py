"""gunicorn entry point: `gunicorn services.indicators.wsgi:app`."""
from services.indicators.app import create_app

app = create_app()
