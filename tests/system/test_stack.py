"""Issue 13 item 6: the compose stack, as much of it as runs here.

deploy/compose.yaml needs a bridge network with DNS and the minio/minio, minio/mc and
nginx:alpine images; this machine has neither bridge networking nor a registry. What runs
instead, on the host's network: two replicas of the image `make image` built, nginx from a
locally built image (deploy/podman/nginx.Containerfile) with deploy/nginx.conf (host names
swapped for loopback ports, as tests/test_multi_instance.py does), and moto's S3 server
standing in for MinIO. Both replicas serve, and card URLs are served by nginx from the bucket.
"""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import free_port, wait_http
from tests.system.podman import ROOT, base_image, logs, podman, remove, unique_name
from tests.system.test_container import fetch_png, run_container
from tests.test_multi_instance import nginx_conf

NGINX_IMAGE = "localhost/citizen-card-nginx:test"


@pytest.fixture(scope="session")
def nginx_image() -> str:
    podman("build", "--layers", "--network", "host", "--isolation", "chroot", "--build-arg", f"BASE={base_image()}",
           "-f", "deploy/podman/nginx.Containerfile", "-t", NGINX_IMAGE, "deploy/podman", cwd=ROOT, timeout=600)
    return NGINX_IMAGE


@pytest.fixture
def stack_names():
    names: list[str] = []
    yield names
    for name in names:
        remove(name)


async def test_two_replicas_behind_nginx_with_s3(image: str, nginx_image: str, stack_names: list[str],
                                                 aws_env: dict[str, str], s3_client, moto_endpoint: str,
                                                 tmp_path: Path):
    bucket = "cards"  # deploy/nginx.conf serves /cards/<id>.png from bucket "cards", prefix "cards"
    try:
        await s3_client.create_bucket(Bucket=bucket)
    except s3_client.exceptions.BucketAlreadyOwnedByYou:
        pass
    front = free_port()
    env = {**aws_env, "CITIZEN_STORAGE": f"s3://{bucket}/cards", "CITIZEN_PUBLIC_BASE_URL": f"http://127.0.0.1:{front}",
           # moto stands in for MinIO; public-read stands in for minio-public-png.json's anonymous GET on *.png
           "CITIZEN_S3_ACL": "public-read", "CITIZEN_IDEMPOTENCY_SECRET": "stack-test-secret",
           "CITIZEN_TRUSTED_PROXIES": "127.0.0.1/32", "CITIZEN_RATE_LIMIT": "0"}
    replicas = []
    for _ in range(2):
        name, url = run_container(image, env=env)
        stack_names.append(name)
        replicas.append((name, url))
    conf_dir = tmp_path / "nginx"
    conf_dir.mkdir()
    conf = conf_dir / "nginx.conf"
    conf.write_text(nginx_conf(conf_dir, front, [u.removeprefix("http://") for _, u in replicas], moto_endpoint, bucket))
    nginx = unique_name("cc-nginx")
    stack_names.append(nginx)
    podman("run", "-d", "--name", nginx, "--network", "host", "-v", f"{conf_dir}:{conf_dir}",
           "-v", f"{conf}:/etc/nginx/nginx.conf:ro", nginx_image)

    wait_http(f"http://127.0.0.1:{front}/readyz", timeout=30)
    cards = []
    for n in range(8):
        request = urllib.request.Request(f"http://127.0.0.1:{front}/citizen-card", method="POST",
                                         headers={"Content-Type": "application/json"},
                                         data=json.dumps({"nameOnCard": f"Crumb {n}", "language": "en"}).encode())
        with urllib.request.urlopen(request, timeout=30) as response:
            assert response.status == 201
            cards.append(json.load(response))
    for card in cards:  # through nginx, from the bucket (the CDN's job in production)
        assert card["url"].startswith(f"http://127.0.0.1:{front}/cards/"), card
        assert fetch_png(card["url"]) == (1200, 760)
    served = [sum(1 for line in logs(name).splitlines()
                  if line.startswith('{"ts"') and json.loads(line)["path"] == "/citizen-card") for name, _ in replicas]
    print(f"\nstack: POSTs served per replica {served}")
    assert sum(served) == len(cards) and min(served) > 0, served
