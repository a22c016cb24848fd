"""k8s/: the base read from its files, and each overlay rendered by `kubectl kustomize` (when kubectl is installed)."""

from __future__ import annotations

import functools

import pytest

from tests.deploy.manifests import (
    BASE,
    K8S,
    OPS_PORT,
    OVERLAYS,
    SERVICES,
    Doc,
    allowed_sources,
    awaited_metrics,
    base_docs,
    check_hardened,
    check_migrates_first,
    check_probes,
    check_scratch_volumes,
    container_port,
    deployment,
    exported_metrics,
    kubectl,
    metric_names,
    namespaces_of,
    of_kind,
    pod_labels,
    pod_spec,
    render,
    selects,
)

needs_kubectl = pytest.mark.skipif(kubectl() is None, reason="kubectl is not installed")
SOURCES = [
    pytest.param("base-files", id="base-files"),
    *(pytest.param(name, id=f"{name}-rendered", marks=needs_kubectl) for name in ("base", *OVERLAYS)),
]
REQUIRED_ALERTS = {
    "EvetraderRegionDataStale",
    "EvetraderESIErrorRate",
    "EvetraderOutboxLag",
    "EvetraderAIFailoverRate",
    "EvetraderBotDisconnected",
}


@functools.cache
def rendered(name: str) -> tuple[Doc, ...]:
    """Each source's documents, rendered once per session."""
    if name == "base-files":
        return tuple(base_docs())
    return tuple(render(BASE if name == "base" else K8S / "overlays" / name))


@pytest.fixture(params=SOURCES)
def docs(request: pytest.FixtureRequest) -> list[Doc]:
    return list(rendered(request.param))


def test_every_service_is_hardened_probed_and_migrates_first(docs):
    for service in SERVICES:
        doc = deployment(docs, service)
        check_hardened(doc)
        check_scratch_volumes(doc)
        check_probes(doc)
        check_migrates_first(doc)
        assert pod_spec(doc).get("automountServiceAccountToken") is False


def test_web_and_worker_scale_by_hpa_scheduler_stands_by_and_bot_is_single(docs):
    hpas = {
        hpa["spec"]["scaleTargetRef"]["name"]: hpa["spec"] for hpa in of_kind(docs, "HorizontalPodAutoscaler").values()
    }
    for service in ("web", "worker"):
        spec = hpas[f"evetrader-{service}"]
        assert 1 <= spec["minReplicas"] < spec["maxReplicas"]
        assert "replicas" not in deployment(docs, service)["spec"], "the HPA owns the replica count"
    assert deployment(docs, "scheduler")["spec"]["replicas"] >= 1
    bot = deployment(docs, "bot")["spec"]
    assert bot["replicas"] == 1
    assert bot["strategy"]["type"] == "Recreate", "two bots on one token must never overlap"


def test_web_keeps_pods_through_voluntary_disruptions(docs):
    (pdb,) = (
        p
        for p in of_kind(docs, "PodDisruptionBudget").values()
        if selects(p["spec"]["selector"], pod_labels(docs, "web"))
    )
    (hpa,) = (
        h
        for h in of_kind(docs, "HorizontalPodAutoscaler").values()
        if h["spec"]["scaleTargetRef"]["name"] == "evetrader-web"
    )
    assert 1 <= pdb["spec"]["minAvailable"] < hpa["spec"]["minReplicas"], "a drain must still be able to evict one pod"


def test_only_the_ingress_controller_reaches_web_and_only_monitoring_the_ops_port(docs):
    policies = of_kind(docs, "NetworkPolicy").values()
    deny_all = [p for p in policies if "Ingress" in p["spec"]["policyTypes"] and not p["spec"].get("ingress")]
    for service in SERVICES:
        labels = pod_labels(docs, service)
        assert any(selects(p["spec"]["podSelector"], labels) for p in deny_all), f"{service}: no default deny"
        assert namespaces_of(allowed_sources(docs, service, OPS_PORT)) == {"monitoring"}, service
        public = namespaces_of(allowed_sources(docs, service, 8080))
        assert public == ({"ingress-nginx"} if service in ("web", "bot") else set()), service
        opened = {
            entry["port"]
            for p in policies
            if selects(p["spec"]["podSelector"], labels)
            for rule in p["spec"].get("ingress", [])
            for entry in rule["ports"]
        }
        assert opened <= {8080, OPS_PORT}, f"{service}: {opened}"


def test_ingress_has_tls_and_routes_neither_metrics_nor_the_ops_port(docs):
    (ingress,) = of_kind(docs, "Ingress").values()
    services = of_kind(docs, "Service")
    tls_hosts = {host for entry in ingress["spec"]["tls"] for host in entry["hosts"]}
    assert all(entry.get("secretName") for entry in ingress["spec"]["tls"])
    routed = {}
    for rule in ingress["spec"]["rules"]:
        assert rule["host"] in tls_hosts
        for path in rule["http"]["paths"]:
            assert "metrics" not in path["path"]
            backend = path["backend"]["service"]
            service = services[backend["name"]]
            (port,) = (
                p
                for p in service["spec"]["ports"]
                if p.get("name") == backend["port"].get("name") or p["port"] == backend["port"].get("number")
            )
            behind = [s for s in SERVICES if selects({"matchLabels": service["spec"]["selector"]}, pod_labels(docs, s))]
            assert behind, backend["name"]
            for name in behind:
                main = pod_spec(deployment(docs, name))["containers"][0]
                assert container_port(main, port["targetPort"]) != OPS_PORT, path
            routed[path["path"]] = backend["name"]
    assert routed == {"/": "evetrader-web", "/telegram/webhook": "evetrader-bot"}


def test_prometheus_scrapes_every_pods_ops_port(docs):
    (monitor,) = of_kind(docs, "ServiceMonitor").values()
    (target,) = (
        s for s in of_kind(docs, "Service").values() if selects(monitor["spec"]["selector"], s["metadata"]["labels"])
    )
    assert [(e["port"], e["path"]) for e in monitor["spec"]["endpoints"]] == [("ops", "/metrics")]
    assert [(p["name"], p["port"]) for p in target["spec"]["ports"]] == [("ops", OPS_PORT)]
    assert target["spec"].get("publishNotReadyAddresses") is True, "an unready pod's metrics are what alerts need"
    for service in SERVICES:
        assert selects({"matchLabels": target["spec"]["selector"]}, pod_labels(docs, service)), service


def test_alerts_cover_what_an_operator_needs_with_metrics_the_code_exports(docs):
    (rule,) = of_kind(docs, "PrometheusRule").values()
    alerts = [r for group in rule["spec"]["groups"] for r in group["rules"] if "alert" in r]
    assert {alert["alert"] for alert in alerts} >= REQUIRED_ALERTS
    known = exported_metrics() | awaited_metrics() | {"up"}
    for alert in alerts:
        assert alert["labels"]["severity"] in ("warning", "critical")
        assert alert["annotations"]["summary"]
        unknown = metric_names(alert["expr"]) - known
        assert not unknown, f"{alert['alert']}: no such metric {unknown}"


def test_no_secret_is_deployed_from_the_repository(docs):
    assert not of_kind(docs, "Secret")
    for service in SERVICES:
        refs = [
            ref["secretRef"]["name"]
            for ref in pod_spec(deployment(docs, service))["containers"][0]["envFrom"]
            if "secretRef" in ref
        ]
        assert refs == ["evetrader"]
