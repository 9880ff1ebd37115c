"""ETags are aggregate versions: cheap, exact, and what If-Match compares against."""


def etag_headers(version: int) -> dict[str, str]:
    return {"ETag": f'"{version}"'}
