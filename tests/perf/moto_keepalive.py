"""moto's S3 app behind a keep-alive HTTP/1.1 server (waitress), the benchmarks' S3 stand-in.

`moto_server` runs Werkzeug's development server, which answers every request with
`Connection: close`, so each PUT pays a TCP handshake and teardown that S3 itself (and the
S3-compatible stores) does not impose: about 1 ms of our server's CPU per card, measured
(docs/BENCHMARKS.md, the S3 path). The tests keep `moto_server`; the e2e benchmark's S3 runs
use this, so their figures are our service's cost, not the stand-in's connection policy.

    .venv/bin/python tests/perf/moto_keepalive.py PORT
"""

from __future__ import annotations

import sys

import waitress
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app


def main() -> None:
    app = DomainDispatcherApplication(create_backend_app)
    waitress.serve(app, host="127.0.0.1", port=int(sys.argv[1]), threads=8, _quiet=True)


if __name__ == "__main__":
    main()
