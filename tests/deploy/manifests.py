"""Kubernetes manifests for the deploy tests: base files, rendered overlays, the properties they keep, metric names."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
K8S = ROOT / "k8s"
BASE = K8S / "base"
OVERLAYS = ("staging", "production")
OPS_PORT = 9100
DATA_DIR = "/app/data"
SERVICES = ("web", "worker", "scheduler", "bot")

Doc = dict[str, Any]


def load_docs(path: Path) -> list[Doc]:
    """Every YAML document in one file (empty documents dropped)."""
    return [doc for doc in yaml.safe_load_all(path.read_text()) if doc]


def kustomization(directory: Path) -> Doc:
    """A directory's kustomization.yaml."""
    return load_docs(directory / "kustomization.yaml")[0]


def base_docs() -> list[Doc]:
    """The base's resources, read from the files its kustomization lists (no kubectl needed)."""
    docs: list[Doc] = []
    for name in kustomization(BASE)["resources"]:
        docs.extend(load_docs(BASE / name))
    return docs


def kubectl() -> str | None:
    """The kubectl binary, when installed (kustomize is built in)."""
    return shutil.which("kubectl")


def render(directory: Path) -> list[Doc]:
    """`kubectl kustomize` of a directory, parsed."""
    binary = kubectl()
    assert binary is not None
    result = subprocess.run([binary, "kustomize", str(directory)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return [doc for doc in yaml.safe_load_all(result.stdout) if doc]


def of_kind(docs: list[Doc], kind: str) -> dict[str, Doc]:
    """Documents of one kind by name."""
    return {doc["metadata"]["name"]: doc for doc in docs if doc["kind"] == kind}


def deployment(docs: list[Doc], service: str) -> Doc:
    """The Deployment of one evetrader service."""
    return of_kind(docs, "Deployment")[f"evetrader-{service}"]


def pod_spec(doc: Doc) -> Doc:
    """A Deployment's pod template spec."""
    spec: Doc = doc["spec"]["template"]["spec"]
    return spec


def containers(doc: Doc) -> list[Doc]:
    """Init and main containers of a Deployment."""
    spec = pod_spec(doc)
    return [*spec.get("initContainers", []), *spec["containers"]]


def container_port(container: Doc, port: int | str) -> int:
    """A probe's or service's port as a number (named ports resolved against the container)."""
    if isinstance(port, int):
        return port
    named = {entry["name"]: entry["containerPort"] for entry in container.get("ports", [])}
    assert port in named, f"{container['name']}: no port named {port!r}"
    return int(named[port])


def check_hardened(doc: Doc) -> None:
    """Every container: non-root, read-only root, no privilege escalation, no capabilities, RuntimeDefault seccomp."""
    pod = pod_spec(doc).get("securityContext", {})
    name = doc["metadata"]["name"]
    assert pod.get("runAsNonRoot") is True, name
    for container in containers(doc):
        where = f"{name}/{container['name']}"
        security = container.get("securityContext", {})
        assert security.get("runAsNonRoot", pod.get("runAsNonRoot")) is True, where
        assert security.get("readOnlyRootFilesystem") is True, where
        assert security.get("allowPrivilegeEscalation") is False, where
        assert "ALL" in security.get("capabilities", {}).get("drop", []), where
        assert security.get("privileged") is not True, where
        seccomp = security.get("seccompProfile", pod.get("seccompProfile", {}))
        assert seccomp.get("type") == "RuntimeDefault", where
        resources = container.get("resources", {})
        for kind in ("requests", "limits"):
            assert {"cpu", "memory"} <= set(resources.get(kind, {})), f"{where}: {kind}"


def check_scratch_volumes(doc: Doc) -> None:
    """The data dir and /tmp of every container are emptyDir volumes (the root filesystem is read-only)."""
    volumes = {volume["name"]: volume for volume in pod_spec(doc).get("volumes", [])}
    for container in containers(doc):
        mounts = {mount["mountPath"]: mount["name"] for mount in container.get("volumeMounts", [])}
        for path in (DATA_DIR, "/tmp"):
            assert path in mounts, f"{container['name']}: nothing mounted at {path}"
            assert "emptyDir" in volumes[mounts[path]], f"{container['name']}: {path} is not an emptyDir"


def check_probes(doc: Doc) -> None:
    """The main container's liveness and readiness probes ask the operations port."""
    main = pod_spec(doc)["containers"][0]
    for probe, path in (("livenessProbe", "/healthz"), ("readinessProbe", "/readyz")):
        get = main.get(probe, {}).get("httpGet")
        assert get is not None, f"{doc['metadata']['name']}: no {probe}"
        assert get["path"] == path
        assert container_port(main, get["port"]) == OPS_PORT


def check_migrates_first(doc: Doc) -> None:
    """An init container of the same image runs `evetrader migrate` before the pod's service starts."""
    spec = pod_spec(doc)
    main = spec["containers"][0]
    migrations = [c for c in spec.get("initContainers", []) if c.get("args") == ["migrate"]]
    assert migrations, f"{doc['metadata']['name']}: no migrate init container"
    assert migrations[0]["image"] == main["image"]
    assert migrations[0].get("envFrom") == main.get("envFrom")


def selects(selector: Doc, labels: dict[str, str]) -> bool:
    """Whether a label selector (matchLabels and In expressions) selects pods with these labels."""
    if any(labels.get(key) != value for key, value in selector.get("matchLabels", {}).items()):
        return False
    for expression in selector.get("matchExpressions", []):
        assert expression["operator"] == "In", expression
        if labels.get(expression["key"]) not in expression["values"]:
            return False
    return True


def pod_labels(docs: list[Doc], service: str) -> dict[str, str]:
    """The pod labels of one service's Deployment."""
    labels: dict[str, str] = deployment(docs, service)["spec"]["template"]["metadata"]["labels"]
    return labels


def allowed_sources(docs: list[Doc], service: str, port: int) -> list[Doc]:
    """The `from` entries of every NetworkPolicy rule letting traffic into `service` pods on `port`."""
    labels = pod_labels(docs, service)
    sources: list[Doc] = []
    for policy in of_kind(docs, "NetworkPolicy").values():
        if not selects(policy["spec"]["podSelector"], labels):
            continue
        for rule in policy["spec"].get("ingress", []):
            ports = [entry["port"] for entry in rule.get("ports", [])]
            assert ports, f"{policy['metadata']['name']}: a rule open on every port"
            assert "from" in rule, f"{policy['metadata']['name']}: a rule open to every source"
            if port in ports:
                sources.extend(rule["from"])
    return sources


def namespaces_of(sources: list[Doc]) -> set[str]:
    """The namespaces named by NetworkPolicy peers (a peer without a namespace selector is reported as '?')."""
    names = set()
    for peer in sources:
        selector = peer.get("namespaceSelector", {}).get("matchLabels", {})
        names.add(selector.get("kubernetes.io/metadata.name", "?"))
    return names


PACKAGES = ("adapters", "core", "bot", "web", "scheduler", "evetrader")
# Alerts the operator needs whose metric the code does not export yet (the alert stays silent until it does).
AWAITED: dict[str, str] = {}  # metric names alerts may read before the code exports them (none today)
_DEFINITION = re.compile(
    r"\b(Counter|Gauge|Histogram|Summary|Info|Enum)(?:MetricFamily)?\(\s*[\"']([a-zA-Z_:][a-zA-Z0-9_:]*)[\"']"
)
_SUFFIXES = {
    "Counter": ("_total", "_created"),
    "Histogram": ("_bucket", "_sum", "_count", "_created"),
    "Summary": ("_sum", "_count", "_created"),
    "Info": ("_info",),
    "Gauge": (),
    "Enum": (),
}
_KEYWORDS = {"and", "or", "unless", "bool", "offset", "inf", "nan"}


def exported_metrics() -> set[str]:
    """Every series name the code's metric definitions expose."""
    names: set[str] = set()
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            for kind, name in _DEFINITION.findall(path.read_text(encoding="utf-8")):
                base = name.removesuffix("_total") if kind == "Counter" else name
                names.add(base)
                names.update(base + suffix for suffix in _SUFFIXES[kind])
    return names


def awaited_metrics() -> set[str]:
    """Metric names alerts read before the code exports them."""
    return set(AWAITED)


def metric_names(expr: str) -> set[str]:
    """The metric names a PromQL expression reads (labels, functions, ranges and keywords left out)."""
    text = re.sub(r'"(?:[^"\\]|\\.)*"', '""', expr)
    text = re.sub(r"\{[^}]*\}", " ", text)
    text = re.sub(r"\[[^\]]*\]", " ", text)
    text = re.sub(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", " ", text)
    names = set()
    for match in re.finditer(r"(?<![0-9.])[a-zA-Z_:][a-zA-Z0-9_:]*", text):
        if text[match.end() :].lstrip().startswith("(") or match.group().lower() in _KEYWORDS:
            continue
        names.add(match.group())
    return names
