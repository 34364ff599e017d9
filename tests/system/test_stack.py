"""Issue 13 item 6: the compose stack, as much of it as runs here.

deploy/compose.yaml as podman runs it without compose: a network of its own, the image
`make image` built as two replicas that share the DNS name `citizen-card` (compose's
`deploy.replicas: 2`), and nginx, from a locally built image (deploy/podman/nginx.Containerfile;
nginx:alpine cannot be pulled here), with deploy/nginx.conf unchanged. MinIO's images cannot
be pulled either: moto's S3 server stands in, on the host, on port 9000 of the network's
gateway, under the name `minio`. The replicas get compose.yaml's environment, with the
network's subnet as the trusted proxies and nginx's published port (podman picks it) as the
public base URL.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml

from tests.conftest import wait_http
from tests.system.podman import ROOT, base_image, inspect, logs, podman, unique_name
from tests.system.test_container import fetch_png

NGINX_IMAGE = "localhost/citizen-card-nginx:test"
COMPOSE = ROOT / "deploy" / "compose.yaml"


@pytest.fixture(scope="session")
def nginx_image() -> str:
    podman("build", "--layers", "--network", "host", "--isolation", "chroot", "--build-arg", f"BASE={base_image()}",
           "-f", "deploy/podman/nginx.Containerfile", "-t", NGINX_IMAGE, "deploy/podman", cwd=ROOT, timeout=600)
    return NGINX_IMAGE


@pytest.fixture
def stack():
    """Containers, networks and processes a test started: removed by name at teardown."""
    made: dict[str, list] = {"containers": [], "networks": [], "processes": []}
    yield made
    for name in made["containers"]:
        podman("rm", "-f", "-t", "0", name, check=False)
    for network in made["networks"]:
        podman("network", "rm", "-f", network, check=False)
    for process in made["processes"]:
        process.terminate()
        process.wait(10)


async def test_compose_stack_two_replicas_behind_nginx(image: str, nginx_image: str, stack: dict, tmp_path: Path):
    compose = yaml.safe_load(COMPOSE.read_text())
    service = compose["services"]["citizen-card"]
    network = unique_name("cc-stack")
    podman("network", "create", network)
    stack["networks"].append(network)
    (subnet,) = json.loads(podman("network", "inspect", network).stdout)[0]["subnets"]

    # nginx is created first, for its published port, which the replicas need as their public
    # base URL: podman picks a free port of 127.0.0.1 when it creates the container
    # (`-p 127.0.0.1::8080`) and holds it once the container starts. nginx starts last: it
    # resolves the replicas' name, citizen-card, when it starts.
    conf = ROOT / "deploy" / "nginx.conf"
    nginx = unique_name("cc-stack-nginx")
    gateway = subnet["gateway"]
    podman("create", "--name", nginx, "--network", network, "--add-host", f"minio:{gateway}",
           "-p", "127.0.0.1::8080", "-v", f"{conf}:/etc/nginx/nginx.conf:ro", nginx_image)
    stack["containers"].append(nginx)
    (published,) = inspect("container", nginx)["HostConfig"]["PortBindings"]["8080/tcp"]
    front = int(published["HostPort"])
    env = {**service["environment"], "CITIZEN_PUBLIC_BASE_URL": f"http://127.0.0.1:{front}",
           "CITIZEN_TRUSTED_PROXIES": subnet["subnet"], "CITIZEN_RATE_LIMIT": "0"}
    assert env["AWS_ENDPOINT_URL"] == "http://minio:9000" and env["CITIZEN_STORAGE"] == "s3://cards/cards"

    moto_log = tmp_path / "moto.log"
    replicas = [unique_name("cc-stack-replica") for _ in range(service["deploy"]["replicas"])]
    for name in replicas:
        podman("run", "-d", "--name", name, "--network", network, "--network-alias", "citizen-card",
               "--add-host", f"minio:{gateway}", "--read-only", "--read-only-tmpfs=false",
               "--tmpfs", "/tmp:rw,size=256m,mode=1777",
               *[arg for key, value in env.items() for arg in ("-e", f"{key}={value}")], image)
        stack["containers"].append(name)
    with moto_log.open("wb") as out:  # MinIO's stand-in, where the replicas look for minio:9000
        moto = subprocess.Popen([str(Path(sys.executable).parent / "moto_server"), "-H", gateway, "-p", "9000"],
                                stdout=out, stderr=subprocess.STDOUT)
    stack["processes"].append(moto)
    wait_http(f"http://{gateway}:9000/moto-api/", proc=moto, timeout=30)
    # createbucket's job: the bucket, and minio-public-png.json (anonymous GET on *.png only;
    # moto enforces bucket policies, so nginx reads the PNGs as it reads them from MinIO).
    from aiobotocore.session import get_session

    async with get_session().create_client("s3", endpoint_url=f"http://{gateway}:9000", region_name="us-east-1",
                                           aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
                                           aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"]) as client:
        await client.create_bucket(Bucket="cards")
        await client.put_bucket_policy(Bucket="cards", Policy=(ROOT / "deploy" / "minio-public-png.json").read_text())

    podman("start", nginx)
    deadline = time.monotonic() + 60
    while True:  # compose's depends_on: nginx answers once both replicas are ready
        ready = []
        for name in replicas:
            address = inspect("container", name)["NetworkSettings"]["Networks"][network]["IPAddress"]
            try:
                with urllib.request.urlopen(f"http://{address}:8080/readyz", timeout=2) as response:
                    ready.append(response.status == 200)
            except OSError:
                ready.append(False)
        if all(ready):
            break
        assert time.monotonic() < deadline, [logs(n)[-2000:] for n in replicas]
        time.sleep(0.3)

    url = f"http://127.0.0.1:{front}"
    cards = []
    for n in range(8):
        request = urllib.request.Request(url + "/citizen-card", method="POST", headers={"Content-Type": "application/json"},
                                         data=json.dumps({"nameOnCard": f"Crumb {n}", "language": "en"}).encode())
        with urllib.request.urlopen(request, timeout=30) as response:
            assert response.status == 201
            cards.append(json.load(response))
    for card in cards:  # through nginx, from the bucket (the CDN's job in production)
        assert card["url"].startswith(f"{url}/cards/"), card
        assert fetch_png(card["url"]) == (1200, 760)
    served = [sum(1 for line in logs(name).splitlines()
                  if line.startswith('{"ts"') and json.loads(line)["path"] == "/citizen-card") for name in replicas]
    record = card["url"].removesuffix(".png") + ".json"  # the records stay private, as the policy says
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(record.replace(f"{url}/cards/", f"http://{gateway}:9000/cards/cards/"), timeout=10)
    assert refused.value.code == 403
    print(f"\nstack on network {network} ({subnet['subnet']}): POSTs served per replica {served}")
    assert sum(served) == len(cards) and min(served) > 0, served
