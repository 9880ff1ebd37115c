"""gunicorn settings shared by the three APIs (local stack and container image).

Everything can be overridden with GUNICORN_CMD_ARGS or the environment variables below.
"""
import multiprocessing
import os

bind = os.environ.get("KINERJA_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("KINERJA_WEB_WORKERS", max(2, multiprocessing.cpu_count())))
threads = int(os.environ.get("KINERJA_WEB_THREADS", "4"))
worker_class = "gthread"
timeout = 30
graceful_timeout = 20
keepalive = 5
accesslog = None  # request metrics and JSON logs come from the app itself
errorlog = "-"
# Never debug under gunicorn; the app factory runs in each worker after the fork (no preload),
# so no MongoDB client crosses a fork.
preload_app = False


def child_exit(server, worker):
    # Keep Prometheus multiprocess files consistent when a worker dies.
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
