"""`kinerja` command line.

    kinerja token --role operator --agency <agency id> [--sub name] [--ttl 8h]

prints a signed bearer token for the local stack (HS256 with KINERJA_JWT_SECRET). Production
tokens come from the identity provider; services then verify them with a public key.

    kinerja events tail | publish | dlq list|show|redrive | catalogue

works with the event bus (kinerja.events_cli).
"""
from __future__ import annotations

import argparse
import os
import re
import sys

from shared.auth.tokens import ROLES, mint_token
from kinerja import events_cli

_DURATION = re.compile(r"^(\d+)([smhd]?)$")
_SECONDS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_duration(text: str) -> int:
    match = _DURATION.match(text.strip())
    if not match or int(match.group(1)) == 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a duration like 900, 15m, 8h or 7d")
    return int(match.group(1)) * _SECONDS[match.group(2)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="kinerja", description="Kinerja: development tokens and the event bus")
    commands = parser.add_subparsers(dest="command", required=True)
    token = commands.add_parser("token", help="mint a development bearer token")
    token.add_argument("--role", required=True, choices=ROLES)
    token.add_argument("--agency", required=True, help="agency id the token's scope is rooted at ('*' for admin)")
    token.add_argument("--sub", default=None, help="subject (user name); default: <role>@local")
    token.add_argument("--ttl", type=parse_duration, default=8 * 3600, help="lifetime, e.g. 15m, 8h (default 8h)")
    events_cli.add_parser(commands)
    args = parser.parse_args(argv)
    if args.command == "events":
        return events_cli.run(args)

    secret = os.environ.get("KINERJA_JWT_SECRET")
    if not secret or len(secret) < 32:
        print("KINERJA_JWT_SECRET must be set (32+ characters); `make token` reads the local stack's secret.",
              file=sys.stderr)
        return 2
    print(mint_token(key=secret, sub=args.sub or f"{args.role}@local", role=args.role, agency_id=args.agency,
                     ttl_s=args.ttl, issuer=os.environ.get("KINERJA_JWT_ISSUER") or None,
                     audience=os.environ.get("KINERJA_JWT_AUDIENCE") or None))
    return 0


if __name__ == "__main__":
    sys.exit(main())
