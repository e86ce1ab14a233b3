"""The project's own rules for rendered manifests, beyond what a schema can say.

Each rule is a function over all rendered objects that yields ``Violation``s with a stable code.
``check_policy(objects, production=...)`` runs them all. The rules encode what the deployment
promises: every workload is probed on endpoints that exist, sized, non-root, spread across zones
and covered by a disruption budget; images are pinned; only the gateway is reachable from
outside the namespace and each backend only from its own subgraph; every ConfigMap and Secret a
pod names exists (or is declared as provided by the secret manager); and in production each
serving workload runs at least one replica per zone with a hard zone spread.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from deploy.routes import role_of, role_routes

__all__ = ["EXTERNAL_SECRETS_ANNOTATION", "RULES", "Violation", "check_policy", "selects"]

Manifest = dict[str, Any]
EXTERNAL_SECRETS_ANNOTATION = "insuretech.io/external-secrets"
ZONE = "topology.kubernetes.io/zone"
_WORKLOAD_KINDS = frozenset({"Deployment", "StatefulSet"})
# Namespaces allowed as NetworkPolicy peers, and which pods they may reach.
_MONITORING_NAMESPACE = "monitoring"
_EDGE_NAMESPACE = "edge"
_OPERATOR_NAMESPACES = frozenset({"cnpg-system", "rabbitmq-system"})
_CREDENTIALS_IN_URL = re.compile(r"://[^/\s:@$]+:[^@\s$]+@")


@dataclass(frozen=True, slots=True)
class Violation:
    """One broken rule: a stable code, the object, and what to fix."""

    code: str
    kind: str
    name: str
    message: str

    def __str__(self) -> str:
        return f"[{self.code}] {self.kind} {self.name!r}: {self.message}"


@dataclass(frozen=True, slots=True)
class _Context:
    objects: list[Manifest]
    production: bool

    def of_kind(self, *kinds: str) -> list[Manifest]:
        return [o for o in self.objects if o.get("kind") in kinds]


def _name(obj: Manifest) -> str:
    return str(obj.get("metadata", {}).get("name", ""))


def _flag(code: str, obj: Manifest, message: str) -> Violation:
    """A violation of rule ``code`` by ``obj``."""
    return Violation(code, str(obj.get("kind", "")), _name(obj), message)


def _pod_spec(obj: Manifest) -> Manifest:
    return dict(obj.get("spec", {}).get("template", {}).get("spec", {}))


def _pod_labels(obj: Manifest) -> dict[str, str]:
    return dict(obj.get("spec", {}).get("template", {}).get("metadata", {}).get("labels", {}))


def _containers(obj: Manifest, *, init: bool = True) -> list[Manifest]:
    spec = _pod_spec(obj)
    return [*(spec.get("initContainers", []) if init else []), *spec.get("containers", [])]


def selects(selector: Manifest, labels: dict[str, str]) -> bool:
    """Whether a label selector (``matchLabels``/``matchExpressions`` or a plain map) matches."""
    match = selector.get("matchLabels", selector if "matchExpressions" not in selector else {})
    if any(labels.get(k) != v for k, v in match.items()):
        return False
    for expression in selector.get("matchExpressions", []):
        value, operator = labels.get(expression["key"]), expression["operator"]
        values = expression.get("values", [])
        if (
            (operator == "In" and value not in values)
            or (operator == "NotIn" and value in values)
            or (operator == "Exists" and value is None)
            or (operator == "DoesNotExist" and value is not None)
        ):
            return False
    return True


def _served(ctx: _Context, workload: Manifest) -> bool:
    labels = _pod_labels(workload)
    return any(
        s.get("spec", {}).get("selector") and selects(s["spec"]["selector"], labels)
        for s in ctx.of_kind("Service")
    )


def rule_probes(ctx: _Context) -> Iterator[Violation]:
    """Every container has a liveness probe; a container behind a Service also a readiness probe."""
    for workload in ctx.of_kind(*_WORKLOAD_KINDS):
        served = _served(ctx, workload)
        for container in _containers(workload, init=False):
            missing = [p for p in ("livenessProbe",) if p not in container]
            if served and "readinessProbe" not in container:
                missing.append("readinessProbe")
            if missing:
                yield _flag(
                    "PROBES", workload, f"container {container['name']!r} has no {' or '.join(missing)}."
                )


def rule_probe_targets(ctx: _Context) -> Iterator[Violation]:
    """Probes name declared ports, and HTTP probes of our image hit routes the role really serves."""
    for workload in ctx.of_kind(*_WORKLOAD_KINDS):
        for container in _containers(workload, init=False):
            ports = {p.get("name") for p in container.get("ports", [])} | {
                p["containerPort"] for p in container.get("ports", [])
            }
            role = role_of(container)
            for probe_name in ("startupProbe", "readinessProbe", "livenessProbe"):
                probe = container.get(probe_name)
                if not probe:
                    continue
                for handler in ("httpGet", "grpc", "tcpSocket"):
                    port = probe.get(handler, {}).get("port")
                    if handler in probe and port not in ports:
                        yield _flag(
                            "PROBE_TARGETS",
                            workload,
                            f"{probe_name} of {container['name']!r} uses port {port!r}, which the "
                            "container does not declare.",
                        )
                path = probe.get("httpGet", {}).get("path")
                if role is not None and path is not None and path not in role_routes()[role]:
                    yield _flag(
                        "PROBE_TARGETS",
                        workload,
                        f"{probe_name} of {container['name']!r} requests {path!r}, which the {role} does "
                        f"not serve (it serves {', '.join(sorted(role_routes()[role]))}).",
                    )


def rule_resources(ctx: _Context) -> Iterator[Violation]:
    """Every container requests CPU and memory and has a memory limit."""
    for workload in ctx.of_kind(*_WORKLOAD_KINDS, "Job"):
        for container in _containers(workload):
            resources = container.get("resources", {})
            requests, limits = resources.get("requests", {}), resources.get("limits", {})
            missing = [f"requests.{r}" for r in ("cpu", "memory") if r not in requests]
            missing += ["limits.memory"] if "memory" not in limits else []
            if missing:
                yield _flag(
                    "RESOURCES", workload, f"container {container['name']!r} sets no {', '.join(missing)}."
                )


def rule_image_pinned(ctx: _Context) -> Iterator[Violation]:
    """Every image names a tag or a digest, and the tag is not ``latest``."""
    for workload in ctx.of_kind(*_WORKLOAD_KINDS, "Job"):
        for container in _containers(workload):
            image = str(container.get("image", ""))
            name = image.split("@", 1)[0]
            tag = name.rsplit(":", 1)[1] if ":" in name.rsplit("/", 1)[-1] else None
            if "@sha256:" not in image and (tag is None or tag == "latest"):
                yield _flag(
                    "IMAGE_PINNED",
                    workload,
                    f"container {container['name']!r} runs {image!r}; pin a version tag or a digest.",
                )


def rule_non_root(ctx: _Context) -> Iterator[Violation]:
    """Pods run as non-root without privilege escalation, capabilities or a writable root."""
    for workload in ctx.of_kind(*_WORKLOAD_KINDS, "Job"):
        pod_context = _pod_spec(workload).get("securityContext", {})
        for container in _containers(workload):
            context = container.get("securityContext", {})
            problems = []
            if not context.get("runAsNonRoot", pod_context.get("runAsNonRoot", False)):
                problems.append("runAsNonRoot is not true")
            if context.get("runAsUser", pod_context.get("runAsUser")) == 0:
                problems.append("runAsUser is 0")
            if context.get("allowPrivilegeEscalation", True) or context.get("privileged", False):
                problems.append("privilege escalation is allowed")
            if not context.get("readOnlyRootFilesystem", False):
                problems.append("the root filesystem is writable")
            if "ALL" not in context.get("capabilities", {}).get("drop", []):
                problems.append("capabilities are not dropped (drop: [ALL])")
            if problems:
                yield _flag("NON_ROOT", workload, f"container {container['name']!r}: {'; '.join(problems)}.")


def rule_disruption_budget(ctx: _Context) -> Iterator[Violation]:
    """Every workload is covered by a PodDisruptionBudget."""
    budgets = ctx.of_kind("PodDisruptionBudget")
    for workload in ctx.of_kind(*_WORKLOAD_KINDS):
        labels = _pod_labels(workload)
        if not any(selects(b.get("spec", {}).get("selector", {}), labels) for b in budgets):
            yield _flag("DISRUPTION_BUDGET", workload, "no PodDisruptionBudget selects its pods.")


def rule_zone_spread(ctx: _Context) -> Iterator[Violation]:
    """Every workload spreads its own pods across zones (in production: hard, tainted nodes ignored)."""
    for workload in ctx.of_kind(*_WORKLOAD_KINDS):
        labels = _pod_labels(workload)
        zone = [
            c
            for c in _pod_spec(workload).get("topologySpreadConstraints", [])
            if c.get("topologyKey") == ZONE
            and selects(c.get("labelSelector", {"matchLabels": {"-": "-"}}), labels)
        ]
        if not zone:
            yield _flag(
                "ZONE_SPREAD", workload, f"no topologySpreadConstraint on {ZONE!r} selects its own pods."
            )
        elif ctx.production and not any(
            c.get("whenUnsatisfiable") == "DoNotSchedule" and c.get("nodeTaintsPolicy") == "Honor"
            for c in zone
        ):
            yield _flag(
                "ZONE_SPREAD",
                workload,
                "in production the zone spread must be DoNotSchedule with nodeTaintsPolicy Honor.",
            )


def rule_replicas_per_zone(ctx: _Context) -> Iterator[Violation]:
    """In production every workload behind a Service runs at least 3 replicas (one per zone)."""
    if not ctx.production:
        return
    autoscaled = {
        h["spec"]["scaleTargetRef"]["name"]: h["spec"].get("minReplicas", 1)
        for h in ctx.of_kind("HorizontalPodAutoscaler")
    }
    for workload in ctx.of_kind(*_WORKLOAD_KINDS):
        if not _served(ctx, workload):
            continue
        replicas = autoscaled.get(_name(workload), workload.get("spec", {}).get("replicas", 1))
        if replicas < 3:
            yield _flag(
                "REPLICAS_PER_ZONE",
                workload,
                f"runs {replicas} replica(s) (or HPA minimum); production needs at least 3, one per zone.",
            )


def rule_services_match(ctx: _Context) -> Iterator[Violation]:
    """Every Service selects some workload's pods, and each named targetPort exists in them."""
    workloads = ctx.of_kind(*_WORKLOAD_KINDS)
    for service in ctx.of_kind("Service"):
        selector = service.get("spec", {}).get("selector")
        if not selector:
            continue
        matched = [w for w in workloads if selects(selector, _pod_labels(w))]
        if not matched:
            yield _flag("SERVICE_SELECTOR", service, "its selector matches no workload.")
            continue
        names = {
            p.get("name") for w in matched for c in _containers(w, init=False) for p in c.get("ports", [])
        }
        for port in service["spec"].get("ports", []):
            target = port.get("targetPort")
            if isinstance(target, str) and target not in names:
                yield _flag(
                    "SERVICE_SELECTOR",
                    service,
                    f"targetPort {target!r} is not a port name of the selected pods.",
                )


def rule_autoscaler_targets(ctx: _Context) -> Iterator[Violation]:
    """Every HorizontalPodAutoscaler scales a rendered workload."""
    names = {(w["kind"], _name(w)) for w in ctx.of_kind(*_WORKLOAD_KINDS)}
    for hpa in ctx.of_kind("HorizontalPodAutoscaler"):
        ref = hpa.get("spec", {}).get("scaleTargetRef", {})
        if (ref.get("kind"), ref.get("name")) not in names:
            yield _flag("AUTOSCALER_TARGET", hpa, f"scales {ref}, which is not rendered.")


def _operator_secrets(ctx: _Context) -> set[str]:
    produced = set()
    for cluster in ctx.of_kind("Cluster"):
        produced |= {f"{_name(cluster)}-app", f"{_name(cluster)}-superuser"}
    for cluster in ctx.of_kind("RabbitmqCluster"):
        produced.add(f"{_name(cluster)}-default-user")
    return produced


def _referenced(workload: Manifest) -> Iterator[tuple[str, str]]:
    spec = _pod_spec(workload)
    for volume in spec.get("volumes", []):
        if "configMap" in volume:
            yield "ConfigMap", volume["configMap"]["name"]
        if "secret" in volume:
            yield "Secret", volume["secret"]["secretName"]
        for source in volume.get("projected", {}).get("sources", []):
            for kind, key in (("ConfigMap", "configMap"), ("Secret", "secret")):
                if key in source:
                    yield kind, source[key]["name"]
    for container in _containers(workload):
        for env in container.get("env", []):
            source = env.get("valueFrom", {})
            if "configMapKeyRef" in source:
                yield "ConfigMap", source["configMapKeyRef"]["name"]
            if "secretKeyRef" in source:
                yield "Secret", source["secretKeyRef"]["name"]
        for env_from in container.get("envFrom", []):
            if "configMapRef" in env_from:
                yield "ConfigMap", env_from["configMapRef"]["name"]
            if "secretRef" in env_from:
                yield "Secret", env_from["secretRef"]["name"]


def rule_references(ctx: _Context) -> Iterator[Violation]:
    """Every ConfigMap and Secret a pod names exists, is made by an operator, or is declared external."""
    rendered = {(o["kind"], _name(o)) for o in ctx.of_kind("ConfigMap", "Secret")}
    external = {
        name.strip()
        for namespace in ctx.of_kind("Namespace")
        for name in namespace.get("metadata", {})
        .get("annotations", {})
        .get(EXTERNAL_SECRETS_ANNOTATION, "")
        .split(",")
        if name.strip()
    }
    provided = _operator_secrets(ctx) | external
    for workload in ctx.of_kind(*_WORKLOAD_KINDS, "Job"):
        for kind, name in sorted(set(_referenced(workload))):
            if (kind, name) not in rendered and not (kind == "Secret" and name in provided):
                yield _flag(
                    "REFERENCES",
                    workload,
                    f"names {kind} {name!r}, which is neither rendered nor provided "
                    f"(an operator's, or listed in the Namespace annotation {EXTERNAL_SECRETS_ANNOTATION!r}).",
                )
    for ingress in ctx.of_kind("Ingress"):
        for tls in ingress.get("spec", {}).get("tls", []):
            name = tls.get("secretName", "")
            if ("Secret", name) not in rendered and name not in provided:
                yield _flag("REFERENCES", ingress, f"names TLS Secret {name!r}, not provided.")


def rule_no_credentials_in_env(ctx: _Context) -> Iterator[Violation]:
    """No literal env value carries credentials (``scheme://user:password@``); use a Secret."""
    for workload in ctx.of_kind(*_WORKLOAD_KINDS, "Job"):
        for container in _containers(workload):
            for env in container.get("env", []):
                if _CREDENTIALS_IN_URL.search(str(env.get("value", ""))):
                    yield _flag(
                        "CREDENTIALS_IN_ENV",
                        workload,
                        f"env {env['name']!r} of {container['name']!r} holds credentials; take them from a Secret.",
                    )


def rule_ingress_tls(ctx: _Context) -> Iterator[Violation]:
    """Every Ingress host is served over TLS."""
    for ingress in ctx.of_kind("Ingress"):
        spec = ingress.get("spec", {})
        covered = {h for tls in spec.get("tls", []) for h in tls.get("hosts", [])}
        for rule in spec.get("rules", []):
            if rule.get("host") not in covered:
                yield _flag("INGRESS_TLS", ingress, f"host {rule.get('host')!r} has no TLS.")


_BACKEND_CALLERS: dict[str, tuple[str, ...]] = {
    "backend-client-info": ("backend-applications",),
    "backend-core-app": ("backend-applications",),
    "backend-applications": ("backend-core-app",),
}
"""Backends a backend takes calls from besides its subgraph: applications checks clients and
products; core_app reads applications and delivers its outbox to them (decisions 0014, 0016)."""


def _peer_problem(peer: Manifest, workload: Manifest) -> str | None:
    """Why a NetworkPolicy ``from`` peer may not reach ``workload``; ``None`` if it may."""
    if "ipBlock" in peer:
        return "an ipBlock peer"
    selector = peer.get("namespaceSelector")
    labels = _pod_labels(workload)
    if selector is not None:
        namespace = selector.get("matchLabels", {}).get("kubernetes.io/metadata.name")
        component = labels.get("app.kubernetes.io/component")
        if namespace == _MONITORING_NAMESPACE:
            return None
        if namespace == _EDGE_NAMESPACE and component == "gateway":
            return None
        if namespace in _OPERATOR_NAMESPACES and component not in (
            "gateway",
            "subgraph",
            "backend",
            "worker",
        ):
            return None
        return f"namespace {namespace or selector!r}"
    name = labels.get("app.kubernetes.io/name", "")
    source = peer.get("podSelector", {}).get("matchLabels", {}).get("app.kubernetes.io/name")
    if name.startswith("backend-"):
        allowed = ["subgraph-" + name.removeprefix("backend-"), *_BACKEND_CALLERS.get(name, ())]
        only = " or ".join(repr(a) for a in allowed)
        return None if source in allowed else f"pods {source or peer.get('podSelector')!r} (only {only})"
    if name.startswith("subgraph-"):
        return None if source == "gateway" else f"pods {source or peer.get('podSelector')!r} (only 'gateway')"
    return None


def rule_network_isolation(ctx: _Context) -> Iterator[Violation]:
    """Ingress is denied by default; only the gateway is reachable from outside; backends only from their subgraph."""
    policies = ctx.of_kind("NetworkPolicy")
    if not any(
        p["spec"].get("podSelector") == {}
        and "Ingress" in p["spec"].get("policyTypes", [])
        and not p["spec"].get("ingress")
        for p in policies
    ):
        yield Violation("NETWORK", "NetworkPolicy", "*", "no default-deny ingress policy (podSelector: {}).")
    for workload in ctx.of_kind(*_WORKLOAD_KINDS):
        labels = _pod_labels(workload)
        for policy in policies:
            if not selects(policy["spec"].get("podSelector", {}), labels):
                continue
            for rule in policy["spec"].get("ingress", []):
                peers = rule.get("from")
                if not peers:
                    yield _flag("NETWORK", workload, f"policy {_name(policy)!r} admits every source.")
                    continue
                for peer in peers:
                    problem = _peer_problem(peer, workload)
                    if problem is not None:
                        yield _flag("NETWORK", workload, f"policy {_name(policy)!r} admits {problem}.")


def rule_drain_time(ctx: _Context) -> Iterator[Violation]:
    """The grace period covers the preStop wait plus the 25 s in-flight drain of our HTTP roles."""
    for workload in ctx.of_kind(*_WORKLOAD_KINDS):
        grace = _pod_spec(workload).get("terminationGracePeriodSeconds", 30)
        for container in _containers(workload, init=False):
            wait = container.get("lifecycle", {}).get("preStop", {}).get("sleep", {}).get("seconds", 0)
            drain = 25 if role_of(container) in ("gateway", "subgraph") else 0
            if grace < wait + drain:
                yield _flag(
                    "DRAIN_TIME",
                    workload,
                    f"terminationGracePeriodSeconds {grace} < preStop {wait} s + drain {drain} s: "
                    "requests would be cut by SIGKILL.",
                )


RULES: tuple[Callable[[_Context], Iterator[Violation]], ...] = (
    rule_probes,
    rule_probe_targets,
    rule_resources,
    rule_image_pinned,
    rule_non_root,
    rule_disruption_budget,
    rule_zone_spread,
    rule_replicas_per_zone,
    rule_services_match,
    rule_autoscaler_targets,
    rule_references,
    rule_no_credentials_in_env,
    rule_ingress_tls,
    rule_network_isolation,
    rule_drain_time,
)


def check_policy(objects: list[Manifest], *, production: bool) -> list[Violation]:
    """Every violation of every rule; an empty list when the manifests follow them all."""
    ctx = _Context(objects, production)
    return [violation for rule in RULES for violation in rule(ctx)]
