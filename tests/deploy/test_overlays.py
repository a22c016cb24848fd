"""k8s/overlays: each patch applies to something the base has and leaves hardening alone; rendered, each overlay
lands in its own namespace with a registry image."""

from __future__ import annotations

import pytest
import yaml

from tests.deploy.manifests import (
    BASE,
    K8S,
    OVERLAYS,
    SERVICES,
    Doc,
    base_docs,
    deployment,
    kubectl,
    kustomization,
    load_docs,
    of_kind,
    pod_spec,
    render,
)

NAMESPACES = {"staging": "evetrader-staging", "production": "evetrader"}
# What an overlay may not patch: the pod hardening, the probes and the migration step every environment keeps.
GUARDED = ("securityContext", "livenessProbe", "readinessProbe", "startupProbe", "initContainers", "volumes")


def _find(docs: list[Doc], kind: str, name: str) -> Doc:
    found = of_kind(docs, kind)
    assert name in found, f"the base has no {kind} {name}"
    return found[name]


def _resolve(doc: object, pointer: str) -> object:
    """Follow a JSON pointer (RFC 6901) into a document; AssertionError when a step is missing."""
    for step in pointer.strip("/").split("/"):
        step = step.replace("~1", "/").replace("~0", "~")
        if isinstance(doc, list):
            assert step.isdigit() and int(step) < len(doc), pointer
            doc = doc[int(step)]
        else:
            assert isinstance(doc, dict) and step in doc, pointer
            doc = doc[step]
    return doc


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_overlay_builds_on_the_base_in_its_own_namespace(overlay):
    directory = K8S / "overlays" / overlay
    spec = kustomization(directory)
    assert "../../base" in spec["resources"]
    assert spec["namespace"] == NAMESPACES[overlay]
    (namespace,) = load_docs(directory / "namespace.yaml")
    assert namespace["metadata"]["name"] == NAMESPACES[overlay]
    assert namespace["metadata"]["labels"]["pod-security.kubernetes.io/enforce"] == "restricted"
    (image,) = spec["images"]
    assert image["name"] == "evetrader" and image["newName"] and image["newTag"]
    (config,) = spec["configMapGenerator"]
    assert (config["name"], config["behavior"]) == ("evetrader", "merge")


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_overlay_patches_target_base_objects_and_leave_hardening_alone(overlay):
    directory = K8S / "overlays" / overlay
    spec = kustomization(directory)
    base = base_docs()
    hpa_managed = {h["spec"]["scaleTargetRef"]["name"] for h in of_kind(base, "HorizontalPodAutoscaler").values()}
    for entry in spec.get("replicas", []):
        _find(base, "Deployment", entry["name"])
        assert entry["name"] not in hpa_managed, "the HPA owns that replica count"
    for patch in spec.get("patches", []):
        text = patch["patch"] if "patch" in patch else (directory / patch["path"]).read_text()
        assert not any(word in text for word in GUARDED), f"{overlay} patches {GUARDED}"
        if "target" in patch:
            target = _find(base, patch["target"]["kind"], patch["target"]["name"])
            for operation in yaml.safe_load(text):
                assert operation["op"] in ("replace", "remove", "add"), operation
                if operation["op"] != "add":
                    _resolve(target, operation["path"])
            continue
        (strategic,) = load_docs(directory / patch["path"])
        target = _find(base, strategic["kind"], strategic["metadata"]["name"])
        names = {c["name"] for c in pod_spec(target)["containers"]}
        assert {c["name"] for c in pod_spec(strategic).get("containers", [])} <= names


@pytest.mark.skipif(kubectl() is None, reason="kubectl is not installed")
@pytest.mark.parametrize("overlay", OVERLAYS)
def test_rendered_overlay_is_namespaced_and_runs_the_registry_image(overlay):
    docs = render(K8S / "overlays" / overlay)
    namespaced = [doc for doc in docs if doc["kind"] != "Namespace"]
    assert {doc["metadata"].get("namespace") for doc in namespaced} == {NAMESPACES[overlay]}
    (image,) = kustomization(K8S / "overlays" / overlay)["images"]
    expected = f"{image['newName']}:{image['newTag']}"
    for service in SERVICES:
        spec = pod_spec(deployment(docs, service))
        assert {c["image"] for c in [*spec["initContainers"], *spec["containers"]]} == {expected}
        config = [ref["configMapRef"]["name"] for ref in spec["containers"][0]["envFrom"] if "configMapRef" in ref]
        assert config and config[0] in of_kind(docs, "ConfigMap"), "pods read the generated ConfigMap"


def test_the_secret_example_names_every_key_and_holds_no_value():
    (secret,) = load_docs(K8S / "secret.example.yaml")
    assert secret["kind"] == "Secret" and secret["metadata"]["name"] == "evetrader"
    values = secret["stringData"]
    assert {"DATABASE_URL", "REDIS_URL", "SESSION_SIGNING_KEY", "ENCRYPTION_KEYS"} <= set(values)
    assert all(value == "" for value in values.values())
    assert "secret.example.yaml" not in " ".join(kustomization(BASE)["resources"])
