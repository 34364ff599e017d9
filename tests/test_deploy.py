"""deploy/: the image recipe, compose, Kubernetes manifests, capacity arithmetic, load tests.

Static checks of the image recipe: hadolint, and every command and path in it is one
`make setup` uses too. The image itself is built and run by tests/system/ (`make test`).
"""

from __future__ import annotations

import fnmatch
import json
import math
import re
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
import yaml

from service.config import PREFIX, Settings, from_env
from tests.conftest import ROOT, free_port

DEPLOY = ROOT / "deploy"
K8S = DEPLOY / "k8s"
BIN = Path(sys.executable).parent
K8S_VERSION = "1.30.0"  # pinned; one the installed kubernetes-validate ships schemas for
TEST_ONLY_APT = {"chromium", "nginx-light", "wrk"}  # Makefile packages the image does not need
# What the runtime stage installs for each builder package (None: nothing, e.g. build tools;
# fonts-noto-cjk: only the .ttc files the service opens are copied, not the package).
DEV_TO_RUNTIME = {"libjpeg-dev": "libjpeg62-turbo", "zlib1g-dev": "zlib1g", "libfreetype-dev": "libfreetype6",
                  "libraqm-dev": "libraqm0", "libharfbuzz-dev": "libharfbuzz0b", "libfribidi-dev": "libfribidi0",
                  "liblcms2-dev": "liblcms2-2", "libpng-dev": "libpng16-16", "fonts-noto-cjk": None,
                  "fonts-noto-core": None, "fonts-noto-color-emoji": None, "binutils": None,
                  "libwebp-dev": "libwebp7 libwebpmux3 libwebpdemux2"}  # PIL's _webp links all three


def tool(name: str) -> str:
    path = BIN / name
    if not path.exists():
        pytest.fail(f"{name} is not installed in the venv: it is in the `test` extra; run `make setup`")
    return str(path)


# ---------------------------------------------------------------------------- Dockerfile

def dockerfile_instructions() -> list[tuple[str, str]]:
    """(stage name, instruction with continuations joined) for each instruction of deploy/Dockerfile."""
    text = (DEPLOY / "Dockerfile").read_text()
    logical, current = [], ""
    for line in text.splitlines():
        if line.lstrip().startswith("#") and not current:
            continue
        if line.rstrip().endswith("\\"):
            current += line.rstrip()[:-1] + " "
            continue
        current += line
        if current.strip():
            logical.append(" ".join(current.split()))
        current = ""
    stages, stage = [], "global"
    for instruction in logical:
        match = re.match(r"FROM \S+ AS (\S+)", instruction, re.IGNORECASE)
        if match:
            stage = match.group(1)
        stages.append((stage, instruction))
    return stages


def apt_packages(instruction: str) -> set[str]:
    words = instruction.split()
    start = words.index("install")
    names = set()
    for word in words[start + 1:]:
        if word == "&&":
            break
        if not word.startswith(("-", "$")):  # options; ${headers:+...}: python3-dev where the base lacks it
            names.add(word)
    return names


def makefile_apt_packages() -> set[str]:
    makefile = (ROOT / "Makefile").read_text().replace("\\\n", " ")
    match = re.search(r"^APT_PACKAGES := (.*)$", makefile, re.MULTILINE)
    assert match, "Makefile: APT_PACKAGES not found"
    return set(match.group(1).split())


def test_hadolint_passes():
    result = subprocess.run([tool("hadolint"), "--config", str(DEPLOY / ".hadolint.yaml"),
                             str(DEPLOY / "Dockerfile")], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


def test_dockerfile_only_runs_what_make_setup_runs():
    instructions = dockerfile_instructions()
    builder = " ".join(i for stage, i in instructions if stage in ("venv", "builder"))
    makefile = (ROOT / "Makefile").read_text()
    for command in ("python3 -m venv", "pip install -q -U pip setuptools wheel pybind11",
                    "bash scripts/install_pillow_simd.sh", "scripts/check_no_stock_pillow.py",
                    "citizen-atlas build --assets assets --out build/atlas"):
        assert command in makefile, f"make setup no longer runs {command!r}: update deploy/Dockerfile too"
    assert "python3 -m venv /opt/venv" in builder
    assert "bash scripts/install_pillow_simd.sh /opt/venv" in builder
    assert "scripts/check_no_stock_pillow.py" in builder
    assert "citizen-atlas build --assets assets --out build/atlas" in builder
    assert "pip install --no-cache-dir -e ." in builder and '-e ".[test]"' in makefile
    # freetype-py from source (bound to the system FreeType that pillow-simd links), before the project.
    freetype = '--no-binary freetype-py "freetype-py>=2.4"'
    assert freetype in makefile and freetype in builder
    assert builder.index(freetype) < builder.index("pip install --no-cache-dir -e .")
    assert re.search(r"pip install --no-cache-dir -U pip==\S+ setuptools==\S+ wheel==\S+ pybind11==\S+", builder)

    # The same Debian packages as `make setup`, minus test-only tools; their runtime libraries after.
    build_apt = next(apt_packages(i) for s, i in instructions if s == "builder" and "apt-get install" in i)
    runtime_apt = next(apt_packages(i) for s, i in instructions if s == "runtime" and "apt-get install" in i)
    wanted = makefile_apt_packages() - TEST_ONLY_APT
    assert wanted <= build_apt, wanted - build_apt
    assert build_apt - wanted == {"build-essential"}
    assert {lib for p in wanted for lib in (DEV_TO_RUNTIME[p] or "").split()} == runtime_apt


def test_dockerfile_simd_build_argument_reaches_the_script():
    instructions = dockerfile_instructions()
    assert "ARG SIMD_CFLAGS=-mavx2" in [i for _, i in instructions]
    assert any('PILLOW_SIMD_CFLAGS="${SIMD_CFLAGS}" bash scripts/install_pillow_simd.sh' in i
               for _, i in instructions)
    script = (ROOT / "scripts" / "install_pillow_simd.sh").read_text()
    assert "${PILLOW_SIMD_CFLAGS:--mavx2}" in script
    assert "-msse4.2" in (DEPLOY / "Dockerfile").read_text() and "-msse4.2" in (DEPLOY / "README.md").read_text()


def dockerignore_allows(path: str, patterns: list[str]) -> bool:
    """Docker's rule: the last matching pattern wins; `!` re-includes."""
    allowed = True
    parts = Path(path.rstrip("/")).parts
    prefixes = ["/".join(parts[:n]) for n in range(1, len(parts) + 1)]
    for raw in patterns:
        negate = raw.startswith("!")
        pattern = raw.lstrip("!").rstrip("/")
        if any(fnmatch.fnmatchcase(prefix, pattern) for prefix in prefixes):
            allowed = negate
    return allowed


def test_dockerfile_copies_exist_and_pass_the_ignore_file():
    patterns = [line.strip() for line in (DEPLOY / "Dockerfile.dockerignore").read_text().splitlines()
                if line.strip() and not line.startswith("#")]
    copies = [i.split()[1:-1] for _, i in dockerfile_instructions()
              if i.startswith("COPY ") and "--from=" not in i]
    sources = [source for sources in copies for source in sources]
    assert {"scripts/", "pyproject.toml", "service/", "atlas_builder/", "assets/"} <= set(sources)
    # Globs name build output that may be absent (a fresh clone has no build/): the pillow-simd
    # wheel that `make setup` compiled, which the image installs when it is there.
    assert [s for s in sources if "*" in s] == ["build/pillow-simd*"]
    assert dockerignore_allows("build/pillow-simd/0123abcd/pillow_simd.whl", patterns)
    for source in sources:
        if "*" not in source:
            assert (ROOT / source).exists(), f"COPY {source}: not in the repository"
            assert dockerignore_allows(source, patterns), f"COPY {source}: excluded by Dockerfile.dockerignore"
    for excluded in (".venv", "build", "build/atlas", "data", ".git", "tests", "README.md"):  # README: a stub in the image
        assert not dockerignore_allows(excluded, patterns), excluded


def test_dockerfile_runtime_stage(atlas_dir: Path):
    runtime = [i for stage, i in dockerfile_instructions() if stage == "runtime"]
    user = next(i for i in runtime if i.startswith("USER "))
    uid = int(user.split()[1].split(":")[0])
    assert uid >= 1000
    assert "EXPOSE 8080" in runtime
    assert "STOPSIGNAL SIGTERM" in runtime
    healthcheck = next(i for i in runtime if i.startswith("HEALTHCHECK "))
    assert "/healthz" in healthcheck and "urllib.request" in healthcheck and "curl" not in healthcheck
    cmd = json.loads(next(i for i in runtime if i.startswith("CMD ")).removeprefix("CMD "))
    assert cmd == ["citizen-card", "serve", "--host", "0.0.0.0"]
    assert "COPY --from=builder /opt/venv /opt/venv" in runtime
    for path in ("service", "atlas_builder", "build/atlas"):  # the editable install's packages and the atlas
        assert f"COPY --from=builder /app/{path} /app/{path}" in runtime
    # Every font the atlas manifest names (each language's chain, per weight) is copied into
    # the runtime stage, at that path: the builder's font step lists the files with a Python
    # one-liner (service.fonts' chains), run here as the build runs it.
    fonts = next(i for stage, i in dockerfile_instructions() if stage == "builder" and "cp --parents" in i)
    lister = re.search(r'/opt/venv/bin/python -c "(.*?)" \| xargs cp --parents -t /fonts', fonts)
    assert lister, fonts
    listed = subprocess.run([sys.executable, "-c", lister.group(1)], cwd=ROOT,
                            capture_output=True, text=True, timeout=60, check=True).stdout.split()
    manifest = json.loads((atlas_dir / "current" / "manifest.json").read_text())
    for chains in manifest["fonts"].values():
        for chain in chains.values():
            for face in chain:
                assert face["path"] in listed, f"{face['path']}: not copied into the image"
    assert "COPY --from=builder /fonts/ /" in runtime
    # The Deployment's runAsUser is the image's user.
    deployment = k8s_documents()["Deployment"]
    assert deployment["spec"]["template"]["spec"]["securityContext"]["runAsUser"] == uid
    env = " ".join(i for i in runtime if i.startswith("ENV "))
    check_citizen_env({k: v for k, v in re.findall(r"(CITIZEN_\w+)=(\S+)", env)})


def test_healthcheck_one_liner_runs(start_server):
    """The HEALTHCHECK command works against a real server (as long as CITIZEN_PORT is its port)."""
    server = start_server(workers=1)
    healthcheck = next(i for s, i in dockerfile_instructions() if i.startswith("HEALTHCHECK "))
    command = json.loads(healthcheck[healthcheck.index("CMD ") + 4:])
    port = server.url.rsplit(":", 1)[1]
    result = subprocess.run([sys.executable, *command[1:]], env={"CITIZEN_PORT": port}, timeout=10)
    assert result.returncode == 0
    result = subprocess.run([sys.executable, *command[1:]], env={"CITIZEN_PORT": str(free_port())}, timeout=10,
                            capture_output=True)
    assert result.returncode != 0


def check_citizen_env(env: dict[str, str]) -> None:
    """Every CITIZEN_* name is a real setting (from_env ignores unknown ones) and all values parse."""
    known = {PREFIX + name.upper() for name in Settings.model_fields}
    citizen = {k: str(v) for k, v in env.items() if k.startswith(PREFIX)}
    assert set(citizen) <= known, set(citizen) - known
    with mock.patch.dict("os.environ", citizen, clear=True):
        from_env()  # raises SettingsError listing every bad value


# ---------------------------------------------------------------------------- compose + nginx

def compose() -> dict:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text())


def test_compose_structure():
    doc = compose()
    services = doc["services"]
    assert set(services) == {"citizen-card", "minio", "createbucket", "nginx"}
    app = services["citizen-card"]
    assert app["deploy"]["replicas"] == 2
    assert (DEPLOY / app["build"]["context"]).resolve() == ROOT
    assert (ROOT / app["build"]["dockerfile"]).is_file()
    env = app["environment"]
    assert all(isinstance(v, str) for v in env.values()), "compose environment values must be strings"
    check_citizen_env(env)
    assert env["AWS_ENDPOINT_URL"] == "http://minio:9000"
    assert env["AWS_ACCESS_KEY_ID"] and env["AWS_SECRET_ACCESS_KEY"]
    assert env["CITIZEN_IDEMPOTENCY_SECRET"], "replicas must share the idempotency secret"
    assert int(env["CITIZEN_WORKERS"]) == int(float(app["deploy"]["resources"]["limits"]["cpus"]))
    bucket, _, prefix = env["CITIZEN_STORAGE"].removeprefix("s3://").partition("/")
    assert env["CITIZEN_STORAGE"].startswith("s3://") and (bucket, prefix) == ("cards", "cards")
    grace = int(app["stop_grace_period"].removesuffix("s"))
    assert grace > float(env["CITIZEN_DRAIN_GRACE"]) + float(env["CITIZEN_DRAIN_TIMEOUT"])
    assert app["depends_on"]["createbucket"]["condition"] == "service_completed_successfully"

    # Trusted proxies: the compose network, where nginx lives.
    subnet = doc["networks"]["citizen"]["ipam"]["config"][0]["subnet"]
    assert env["CITIZEN_TRUSTED_PROXIES"] == subnet

    # The bucket exists before the service starts, with public GET on the PNGs only.
    minio, mc = services["minio"], services["createbucket"]
    assert mc["depends_on"]["minio"]["condition"] == "service_healthy" and "healthcheck" in minio
    script = " ".join(mc["command"])
    assert f"mc mb --ignore-existing local/{bucket}" in script
    assert minio["environment"]["MINIO_ROOT_USER"] == env["AWS_ACCESS_KEY_ID"]
    assert minio["environment"]["MINIO_ROOT_PASSWORD"] == env["AWS_SECRET_ACCESS_KEY"]
    policy_mount = next(v for v in mc["volumes"] if "minio-public-png.json" in v)
    source, target = policy_mount.split(":")[:2]
    assert f"mc anonymous set-json {target} local/{bucket}" in script
    policy = json.loads((DEPLOY / source).read_text())
    assert [s["Resource"] for s in policy["Statement"]] == [[f"arn:aws:s3:::{bucket}/{prefix}/*.png"]]
    assert [s["Action"] for s in policy["Statement"]] == [["s3:GetObject"]]

    # nginx: the public port, our config, and card URLs through it.
    nginx = services["nginx"]
    assert "8080:8080" in nginx["ports"]
    assert "./nginx.conf:/etc/nginx/nginx.conf:ro" in nginx["volumes"]
    assert nginx["depends_on"]["citizen-card"]["condition"] == "service_healthy"
    assert env["CITIZEN_PUBLIC_BASE_URL"] == "http://localhost:8080"
    conf = (DEPLOY / "nginx.conf").read_text()
    assert f"proxy_pass http://minio/{bucket}/{prefix}/$1.png;" in conf
    assert "server citizen-card:8080" in conf and "server minio:9000;" in conf
    assert re.search(r"^\s*proxy_next_upstream error timeout non_idempotent;", conf, re.MULTILINE)
    assert not re.search(r"^\s*keepalive\s", conf, re.MULTILINE)
    for service in services.values():
        for volume in service.get("volumes", []):
            if volume.startswith("./"):
                assert (DEPLOY / volume.split(":")[0]).exists(), volume


def test_nginx_conf_passes_nginx_t(tmp_path):
    conf = (DEPLOY / "nginx.conf").read_text()
    conf = conf.replace("citizen-card:8080", f"127.0.0.1:{free_port()}").replace("minio:9000", "127.0.0.1:9")
    conf = conf.replace("pid /tmp/nginx.pid;", f"pid {tmp_path}/nginx.pid;")
    (tmp_path / "nginx.conf").write_text(conf)
    result = subprocess.run(["nginx", "-t", "-e", "stderr", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    assert "syntax is ok" in result.stderr


# ---------------------------------------------------------------------------- Kubernetes

def k8s_documents() -> dict[str, dict]:
    docs = {}
    for path in sorted(K8S.glob("*.yaml")):
        for doc in yaml.safe_load_all(path.read_text()):
            if doc:
                assert doc["kind"] not in docs, f"two {doc['kind']}s"
                docs[doc["kind"]] = doc
    return docs


def test_k8s_manifests_pass_strict_validation():
    files = sorted(str(p) for p in K8S.glob("*.y*ml"))
    assert len(files) == 6
    result = subprocess.run([tool("kubernetes-validate"), "--strict", "-k", K8S_VERSION, *files],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (result.stdout + result.stderr).count(" passed ") == len(files), result.stdout + result.stderr


def test_strict_validation_catches_a_misspelt_field(tmp_path):
    """Why --strict: without it an unknown field (here `readinesProbe`) passes silently."""
    bad = tmp_path / "deployment.yaml"
    bad.write_text((K8S / "deployment.yaml").read_text().replace("readinessProbe:", "readinesProbe:"))
    strict = subprocess.run([tool("kubernetes-validate"), "--strict", "-k", K8S_VERSION, "--quiet", str(bad)],
                            capture_output=True, text=True, timeout=60)
    assert strict.returncode != 0 and "readinesProbe" in strict.stdout + strict.stderr


def test_k8s_manifests_fit_together():
    docs = k8s_documents()
    assert set(docs) == {"Deployment", "Service", "HorizontalPodAutoscaler", "PodDisruptionBudget", "ConfigMap",
                         "Secret"}
    deployment, config = docs["Deployment"], docs["ConfigMap"]["data"]
    pod = deployment["spec"]["template"]
    labels = pod["metadata"]["labels"]
    assert deployment["spec"]["selector"]["matchLabels"].items() <= labels.items()
    assert docs["Service"]["spec"]["selector"].items() <= labels.items()
    assert docs["PodDisruptionBudget"]["spec"]["selector"]["matchLabels"].items() <= labels.items()
    target = docs["HorizontalPodAutoscaler"]["spec"]["scaleTargetRef"]
    assert (target["kind"], target["name"]) == ("Deployment", deployment["metadata"]["name"])

    (container,) = pod["spec"]["containers"]
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert container["ports"][0]["containerPort"] == int(config["CITIZEN_PORT"])
    assert {ref.get("configMapRef", ref.get("secretRef"))["name"] for ref in container["envFrom"]} == {
        docs["ConfigMap"]["metadata"]["name"], docs["Secret"]["metadata"]["name"]}
    check_citizen_env({**config, **docs["Secret"]["stringData"]})

    # Graceful termination: the kubelet's deadline covers preStop + drain grace + drain timeout.
    pre_stop = container["lifecycle"]["preStop"]["exec"]["command"]
    assert pre_stop[0] == "sleep"
    needed = float(pre_stop[1]) + float(config["CITIZEN_DRAIN_GRACE"]) + float(config["CITIZEN_DRAIN_TIMEOUT"])
    assert pod["spec"]["terminationGracePeriodSeconds"] > needed

    # Non-root, read-only root filesystem with a writable /tmp holding the idempotency cache.
    security = container["securityContext"]
    assert pod["spec"]["securityContext"]["runAsNonRoot"] is True
    assert security["readOnlyRootFilesystem"] is True and security["allowPrivilegeEscalation"] is False
    mounts = {m["mountPath"]: m["name"] for m in container["volumeMounts"]}
    assert "emptyDir" in next(v for v in pod["spec"]["volumes"] if v["name"] == mounts["/tmp"])
    assert config["CITIZEN_IDEMPOTENCY_DIR"].startswith("/tmp/")

    # Workers match the CPU request (the pod would otherwise start one per node CPU).
    assert int(config["CITIZEN_WORKERS"]) == int(container["resources"]["requests"]["cpu"])

    # The atlas version: a label on the Deployment and its pods, carried by the image tag.
    version = labels["citizen-card/atlas-version"]
    assert re.fullmatch(r"[0-9a-f]{16}", version)
    assert deployment["metadata"]["labels"]["citizen-card/atlas-version"] == version
    assert container["image"].endswith(f"-atlas-{version}")

    hpa = docs["HorizontalPodAutoscaler"]["spec"]
    assert docs["HorizontalPodAutoscaler"]["apiVersion"] == "autoscaling/v2"
    assert docs["PodDisruptionBudget"]["apiVersion"] == "policy/v1"
    (metric,) = hpa["metrics"]
    assert metric["resource"]["name"] == "cpu" and metric["resource"]["target"]["type"] == "Utilization"
    assert hpa["minReplicas"] >= 2


def capacity_inputs() -> tuple[float, float, dict[int, int]]:
    readme = (DEPLOY / "README.md").read_text()
    rate_line = re.search(r"^per_pod_rate = (\d+) req/s", readme, re.MULTILINE)
    target_line = re.search(r"^target_cpu\s+= ([\d.]+)", readme, re.MULTILINE)
    assert rate_line and target_line, "deploy/README.md: the capacity block lost its inputs"
    rate, target = float(rate_line.group(1)), float(target_line.group(1))
    stated = {int(n.replace(",", "")): int(p) for n, p in
              re.findall(r"^pods\(([\d,]+) req/s\)\s+= .* = (\d+)$", readme, re.MULTILINE)}
    return rate, target, stated


def test_capacity_arithmetic_matches_the_manifests():
    rate, target, stated = capacity_inputs()
    assert set(stated) == {1_000, 10_000}
    for demand, pods in stated.items():
        assert pods == math.ceil(demand / (rate * target)), (demand, pods)
    readme = (DEPLOY / "README.md").read_text()
    assert f"**{stated[1_000]} pods**" in readme and f"**{stated[10_000]} pods**" in readme
    assert readme.count("(placeholder until docs/BENCHMARKS.md has end-to-end numbers)") >= 3 or \
        (ROOT / "docs" / "BENCHMARKS.md").exists()
    hpa = k8s_documents()["HorizontalPodAutoscaler"]["spec"]
    assert hpa["metrics"][0]["resource"]["target"]["averageUtilization"] == round(target * 100)
    assert hpa["maxReplicas"] >= stated[10_000]


# ---------------------------------------------------------------------------- load tests

def test_artillery_scenario_is_the_original():
    scenario = yaml.safe_load((DEPLOY / "loadtest" / "artillery.yaml").read_text())
    config = scenario["config"]
    assert (DEPLOY / "loadtest" / config["processor"]).is_file()
    assert all(phase["arrivalRate"] > 0 and phase["duration"] > 0 for phase in config["phases"])
    assert any(phase == {"name": "original scenario", "duration": 600, "arrivalRate": 10}
               for phase in config["phases"])
    (flow,) = [s["flow"] for s in scenario["scenarios"]]
    assert flow[0] == {"function": "generateRandomData"}
    post = flow[1]["post"]
    assert post["url"] == "/citizen-card" and post["afterResponse"] == "logError"
    assert post["json"] == {"nameOnCard": "{{ nameOnCard }}", "language": "en"}


def test_artillery_processor_hooks():
    """Run the processor's two hooks in node the way Artillery calls them."""
    script = """
    const p = require(process.argv[1]);
    const names = new Set();
    for (let i = 0; i < 50; i++) {
      const context = {vars: {}};
      p.generateRandomData(context, null, () => {});
      names.add(context.vars.nameOnCard);
    }
    const counted = [];
    const events = {emit: (kind, name, n) => counted.push(name)};
    const context = {vars: {nameOnCard: "x"}};
    p.logError({}, {statusCode: 201, body: "{}", headers: {}}, context, events, () => {});
    p.logError({}, {statusCode: 503, headers: {"x-request-id": "abc"},
                    body: '{"error": {"code": "overloaded", "message": "busy"}}'}, context, events, () => {});
    console.log(JSON.stringify({names: [...names], counted}));
    """
    result = subprocess.run(["node", "-e", script, str(DEPLOY / "loadtest" / "processor.js")],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert len(out["names"]) > 10 and all(1 <= len(n) <= 24 for n in out["names"])
    assert out["counted"] == ["citizen_card.status.503"]
    assert "503" in result.stderr and "overloaded" in result.stderr and "abc" in result.stderr
    assert "201" not in result.stderr


def test_wrk_script_against_a_real_server(start_server):
    server = start_server(workers=2)
    command = ["wrk", "-t2", "-c8", "-d3s", "--timeout", "10s", "-s", str(DEPLOY / "loadtest" / "citizen-card.lua"),
               server.url]
    result = subprocess.run(command, capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    match = re.search(r"2xx responses: (\d+), non-2xx responses: (\d+)", result.stdout)
    assert match, result.stdout
    ok, bad = int(match.group(1)), int(match.group(2))
    assert ok > 0 and bad == 0, result.stdout
    logged = server.log_text().count('"path":"/citizen-card","status":201')
    assert logged >= ok, (logged, ok)
    readme = (DEPLOY / "README.md").read_text()
    assert "wrk -t2 -c32 -d30s -s deploy/loadtest/citizen-card.lua http://127.0.0.1:8080" in readme
    assert "artillery run -t http://127.0.0.1:8080 deploy/loadtest/artillery.yaml" in readme
