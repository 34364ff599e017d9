"""Issue 13 item 5: deploy/k8s/ started for real with `podman kube play`.

The Deployment, ConfigMap and Secret of deploy/k8s/ are played as they are, except for
what this machine forces (each change is in `playable`): the image is the one `make image`
built, storage is a moto S3 server instead of the real bucket, and names are unique (several
checkouts test on one machine). The pod gets its own network namespace on podman's bridge
and listens on the manifest's ports (http 8080, metrics 9090) at its own address, as in a
cluster. What podman does not apply (startup/readiness probes, preStop, resources, replicas) is
listed in deploy/README.md; the probes' endpoints are checked here on the ports they name. podman
publishes each containerPort on the host, so one replica is played, on free host ports.

Two ports here are chosen before anything binds them (free_port), because nothing can tell
them: podman 4.3's kube play publishes every containerPort on a host port, the hostPort or,
without one, the containerPort's own number (0.0.0.0:8080), and has no "any free port" form
(a hostPort of 0 means none), so the test names free ones to keep checkouts apart (it
reaches the pod at its own address, never through them). And moto's port is in the
ConfigMap before the pod exists, while moto can only bind the kube network's gateway
address once the pod runs.
"""

from __future__ import annotations

import base64
import json
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import yaml

from tests.conftest import free_port, wait_http
from tests.system.podman import ROOT, inspect, logs, podman, unique_name

K8S = ROOT / "deploy" / "k8s"
KUBE_NETWORK = "podman-default-kube-network"  # kube play's own bridge network (10.89.0.0/24 by default)


def playable(image: str, name: str, s3_endpoint: str, bucket: str) -> tuple[dict, dict, dict]:
    """(Deployment, ConfigMap, Secret) from deploy/k8s/ with the changes this machine needs."""
    deployment = yaml.safe_load((K8S / "deployment.yaml").read_text())
    configmap = yaml.safe_load((K8S / "configmap.yaml").read_text())
    secret = yaml.safe_load((K8S / "secret.yaml").read_text())
    deployment["metadata"]["name"] = configmap["metadata"]["name"] = secret["metadata"]["name"] = name
    container = deployment["spec"]["template"]["spec"]["containers"][0]
    container["image"] = image
    # podman publishes each containerPort on the host (a hostPort of the same number): one
    # replica, each port on a free host port (8080 or 9090 may be taken; two replicas would
    # take them twice).
    deployment["spec"]["replicas"] = 1
    for port in container["ports"]:
        port["hostPort"] = free_port()
    for ref in container["envFrom"]:
        (ref.get("configMapRef") or ref["secretRef"])["name"] = name
    configmap["data"].update({"CITIZEN_STORAGE": f"s3://{bucket}/cards", "AWS_ENDPOINT_URL": s3_endpoint})
    return deployment, configmap, secret


@pytest.fixture
def played(tmp_path: Path):
    """Files played and podman secrets made by the test, torn down (`kube down`) at the end."""
    made: dict[str, list] = {"files": [], "secrets": [], "processes": [], "pods": []}
    yield made
    for process in made["processes"]:
        process.terminate()
        process.wait(10)
    for file in made["files"]:
        podman("kube", "down", str(file), check=False, timeout=90)
    for pod in made["pods"]:  # what kube down leaves when the play failed half-way
        podman("pod", "rm", "-f", pod, check=False, timeout=90)
    for secret in made["secrets"]:
        podman("secret", "rm", secret, check=False)


async def test_deployment_runs_under_podman_kube_play(image: str, played: dict, tmp_path: Path):
    name = unique_name("cc-kube")
    # moto for this pod, on the host's address on the pod's network (podman's kube network;
    # it exists once the pod runs, so moto starts after the pod: until then /readyz answers
    # 503 for storage, as it should). Its port is chosen now, for the ConfigMap.
    moto_port, bucket = free_port(), "cards"
    gateway = json.loads(podman("network", "inspect", KUBE_NETWORK).stdout)[0]["subnets"][0]["gateway"] \
        if podman("network", "exists", KUBE_NETWORK, check=False).returncode == 0 else "10.89.0.1"
    s3_endpoint = f"http://{gateway}:{moto_port}"
    deployment, configmap, secret = playable(image, name, s3_endpoint, bucket)
    deployment_file, configmap_file, secret_file = (tmp_path / f"{kind}.yaml" for kind in ("deployment", "configmap",
                                                                                           "secret"))
    deployment_file.write_text(yaml.safe_dump(deployment))
    configmap_file.write_text(yaml.safe_dump(configmap))
    # podman 4.3's kube play has no Secret kind: envFrom.secretRef reads the podman secret of
    # that name, whose content is the Secret's data as a JSON map of base64 values.
    secret_file.write_text(json.dumps({k: base64.b64encode(v.encode()).decode()
                                       for k, v in secret["stringData"].items()}))
    podman("secret", "create", name, str(secret_file))
    played["secrets"].append(name)
    played["files"].append(deployment_file)
    pod = f"{name}-pod-0"
    played["pods"].append(pod)
    result = podman("kube", "play", "--configmap", str(configmap_file), str(deployment_file), check=False,
                    timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    pod_info = json.loads(podman("pod", "inspect", pod).stdout)
    pod_info = pod_info[0] if isinstance(pod_info, list) else pod_info
    infra = inspect("container", pod_info["InfraContainerID"])
    ((network, settings),) = infra["NetworkSettings"]["Networks"].items()
    assert (network, settings["Gateway"]) == (KUBE_NETWORK, gateway), (network, settings)
    address = settings["IPAddress"]
    container = next(c["Name"] for c in pod_info["Containers"] if c["Id"] != pod_info["InfraContainerID"])

    moto_log = tmp_path / "moto.log"
    with moto_log.open("wb") as out:
        moto = subprocess.Popen([str(Path(sys.executable).parent / "moto_server"), "-H", gateway, "-p", str(moto_port)],
                                stdout=out, stderr=subprocess.STDOUT)
    played["processes"].append(moto)
    try:
        wait_http(s3_endpoint + "/moto-api/", proc=moto)
    except RuntimeError:
        raise RuntimeError(f"moto on {gateway}: {moto_log.read_text()[-2000:]}\n{podman('ps', '-a', '--pod').stdout}"
                           f"\n{subprocess.run(['ip', '-4', 'addr'], capture_output=True, text=True).stdout}") from None
    urllib.request.urlopen(urllib.request.Request(f"{s3_endpoint}/{bucket}", method="PUT"), timeout=10).close()

    ports = {p["name"]: p["containerPort"] for p in deployment["spec"]["template"]["spec"]["containers"][0]["ports"]}
    url = f"http://{address}:{ports['http']}"
    deadline = time.monotonic() + 60
    while True:  # the kubelet's startup and readiness probes, on the manifest's port
        try:
            with urllib.request.urlopen(url + "/readyz", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            pass
        assert time.monotonic() < deadline, logs(container)[-4000:]
        time.sleep(0.3)
    for probe in ("startupProbe", "readinessProbe", "livenessProbe"):  # each on the port it names
        get = deployment["spec"]["template"]["spec"]["containers"][0][probe]["httpGet"]
        port = ports[get["port"]] if isinstance(get["port"], str) else get["port"]
        with urllib.request.urlopen(f"http://{address}:{port}{get['path']}", timeout=2) as response:
            assert response.status == 200, probe

    request = urllib.request.Request(url + "/citizen-card", method="POST", headers={"Content-Type": "application/json"},
                                     data=json.dumps({"nameOnCard": "준성맛 쿠키", "language": "ko"}).encode())
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 201
        card = json.load(response)
    base = configmap["data"]["CITIZEN_PUBLIC_BASE_URL"]
    assert card["url"].startswith(base + "/"), card  # the ConfigMap's CDN
    key = card["url"].removeprefix(base + "/")
    from aiobotocore.session import get_session

    async with get_session().create_client("s3", endpoint_url=s3_endpoint, region_name="us-east-1",
                                           aws_access_key_id="testing", aws_secret_access_key="testing") as client:
        head = await client.head_object(Bucket=bucket, Key=key)  # stored, private (the CDN reads it with OAC)
    assert head["ContentType"] == "image/png"

    # What the pod spec's security context and volumes became.
    info = inspect("container", container)
    config, host = info["Config"], info["HostConfig"]
    assert config["User"] in ("10001:10001", "10001"), config["User"]
    assert host["ReadonlyRootfs"] is True
    env = dict(item.split("=", 1) for item in config["Env"])
    for key, value in {**configmap["data"], **secret["stringData"]}.items():
        assert env.get(key) == str(value), key
    status = podman("exec", container, "bash", "-c",
                    "id -u; grep -E '^(CapEff|NoNewPrivs)' /proc/1/status; touch /tmp/ok && echo tmp-writable; "
                    "touch /app/x 2>&1 || true").stdout
    print(f"\nkube play: pod {pod}, container {container} at {address}\n{status}\nliveness as podman healthcheck: "
          f"{config.get('Healthcheck')}\nmemory limit {host.get('Memory')}, cpu quota/period "
          f"{host.get('CpuQuota')}/{host.get('CpuPeriod')}, init containers/preStop: not run by podman")
    assert status.splitlines()[0] == "10001"
    assert "CapEff:\t0000000000000000" in status and "NoNewPrivs:\t1" in status
    assert "tmp-writable" in status and "Read-only file system" in status
