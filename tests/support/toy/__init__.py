"""A toy service declared in one place (service.py) and nowhere else: tests/e2e/test_toy_service.py runs its
API and its worker from that declaration alone. Only those processes import it (its event contract would
otherwise join the test process's catalogue)."""
