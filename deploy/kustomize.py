"""Render a kustomization the way ``kustomize build`` does, for the subset of features we use.

CI cannot download the kustomize binary (no registry ships it), so this module renders our
overlays offline with kustomize's semantics: ``resources`` (files and directories), ``components``,
``configMapGenerator``/``secretGenerator`` with kustomize's content-hash name suffix and the name
references rewritten, ``patches`` (strategic merge or JSON 6902, with ``target`` selectors),
``namespace``, ``labels``, ``commonAnnotations``, ``replicas`` and ``images``. Any other field is
an error, never silently ignored, so an overlay that needs more fails loudly here first.

Files outside a kustomization's root (our generators read ``schema/supergraph.graphql`` and
``deploy/partners.yaml``) need ``load_restrictor="none"``, as ``kustomize build
--load-restrictor LoadRestrictionsNone`` does.

See https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/
"""

from __future__ import annotations

import base64
import copy
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml

from deploy.patching import PatchError, apply_json6902, strategic_merge

__all__ = ["CLUSTER_SCOPED_KINDS", "KustomizeError", "Manifest", "render"]

Manifest = dict[str, Any]
LoadRestrictor = Literal["root-only", "none"]

CLUSTER_SCOPED_KINDS = frozenset(
    {
        "APIService",
        "ClusterRole",
        "ClusterRoleBinding",
        "CustomResourceDefinition",
        "IngressClass",
        "MutatingWebhookConfiguration",
        "Namespace",
        "PersistentVolume",
        "PriorityClass",
        "StorageClass",
        "ValidatingWebhookConfiguration",
    }
)

_KUSTOMIZATION_FILES = ("kustomization.yaml", "kustomization.yml", "Kustomization")
_FIELDS = frozenset(
    {
        "apiVersion",
        "kind",
        "metadata",
        "resources",
        "components",
        "namespace",
        "labels",
        "commonAnnotations",
        "configMapGenerator",
        "secretGenerator",
        "generatorOptions",
        "patches",
        "replicas",
        "images",
    }
)
_GENERATOR_FIELDS = frozenset(
    {"name", "namespace", "behavior", "files", "literals", "envs", "options", "type"}
)
_POD_TEMPLATE_KINDS = frozenset({"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job"})


class KustomizeError(ValueError):
    """A kustomization cannot be rendered: the message names the file and what to fix."""


@dataclass(slots=True)
class _Resource:
    obj: Manifest
    hashed: bool = False
    """A generated ConfigMap/Secret whose name gets the content-hash suffix at the end."""


@dataclass(slots=True)
class _Build:
    restrictor: LoadRestrictor
    resources: list[_Resource] = field(default_factory=list)


def render(directory: Path, *, load_restrictor: LoadRestrictor = "root-only") -> list[Manifest]:
    """Render the kustomization in ``directory`` into a list of Kubernetes objects.

    Args:
        directory: A folder holding ``kustomization.yaml``.
        load_restrictor: ``"none"`` lets generators and patches read files outside the folder.

    Returns:
        The objects, in the order their resources were listed.

    Raises:
        KustomizeError: An unknown field, a missing file, a patch that matches nothing, a clash.
    """
    build = _Build(load_restrictor)
    _apply(build, directory.resolve(), component=False)
    _suffix_hashed_names(build.resources)
    return [r.obj for r in build.resources]


def _parse_yaml(text: str, where: object) -> list[Any]:
    try:
        return [doc for doc in yaml.safe_load_all(text) if doc is not None]
    except yaml.YAMLError as exc:
        raise KustomizeError(f"{where} is not valid YAML: {exc}") from exc


def _load_kustomization(directory: Path, component: bool) -> dict[str, Any]:
    for name in _KUSTOMIZATION_FILES:
        path = directory / name
        if path.is_file():
            document = (_parse_yaml(path.read_text(encoding="utf-8"), f"'{path}'") or [{}])[0]
            break
    else:
        raise KustomizeError(f"No kustomization.yaml in '{directory}'.")
    if not isinstance(document, dict):
        raise KustomizeError(f"'{path}' must hold a mapping.")
    unknown = sorted(set(document) - _FIELDS)
    if unknown:
        raise KustomizeError(
            f"'{path}' uses {', '.join(map(repr, unknown))}, which this renderer does not support; "
            f"supported fields are {', '.join(sorted(_FIELDS))}."
        )
    expected = "Component" if component else "Kustomization"
    if document.get("kind", "Kustomization") != expected:
        raise KustomizeError(f"'{path}' must be of kind {expected!r}, found {document.get('kind')!r}.")
    return document


def _apply(build: _Build, root: Path, *, component: bool) -> None:
    """Add ``root``'s resources to ``build`` and apply its generators and transformers to all of them."""
    spec = _load_kustomization(root, component)
    own = _Build(build.restrictor, build.resources if component else [])
    for entry in spec.get("resources") or []:
        target = (root / entry).resolve()
        if target.is_dir():
            base = _Build(build.restrictor)
            _apply(base, target, component=False)
            _add(own, base.resources, root)
        else:
            _add(own, [_Resource(doc) for doc in _read_documents(_file(build, root, entry))], root)
    options = spec.get("generatorOptions") or {}
    for generator in spec.get("configMapGenerator") or []:
        _generate(own, root, "ConfigMap", generator, options)
    for generator in spec.get("secretGenerator") or []:
        _generate(own, root, "Secret", generator, options)
    # As in kustomize: components run after this kustomization's resources and generators,
    # before its own transformers.
    for entry in spec.get("components") or []:
        _apply(own, (root / entry).resolve(), component=True)
    for patch in spec.get("patches") or []:
        _patch(own, root, patch)
    objects = [r.obj for r in own.resources]
    if "namespace" in spec:
        _set_namespace(objects, str(spec["namespace"]))
    for labels in spec.get("labels") or []:
        _add_labels(objects, labels)
    for key, value in (spec.get("commonAnnotations") or {}).items():
        for obj in objects:
            obj.setdefault("metadata", {}).setdefault("annotations", {})[key] = str(value)
    for replica in spec.get("replicas") or []:
        _set_replicas(objects, replica, root)
    for image in spec.get("images") or []:
        _set_image(objects, image, root)
    if not component:
        build.resources.extend(own.resources)


def _file(build: _Build, root: Path, relative: str) -> Path:
    path = (root / relative).resolve()
    if build.restrictor == "root-only" and not path.is_relative_to(root):
        raise KustomizeError(
            f"'{relative}' is outside the kustomization root '{root}'; render with "
            "load_restrictor='none' (kustomize: --load-restrictor LoadRestrictionsNone)."
        )
    if not path.is_file():
        raise KustomizeError(f"'{relative}' (from '{root}') does not exist.")
    return path


def _read_documents(path: Path) -> list[Manifest]:
    documents = _parse_yaml(path.read_text(encoding="utf-8"), f"'{path}'")
    for doc in documents:
        if not isinstance(doc, dict) or not doc.get("kind") or not doc.get("metadata", {}).get("name"):
            raise KustomizeError(f"'{path}' holds a document without kind or metadata.name.")
    return documents


def _identity(obj: Manifest) -> tuple[str, str, str, str]:
    meta = obj.get("metadata", {})
    return (str(obj.get("apiVersion")), str(obj["kind"]), str(meta.get("namespace", "")), str(meta["name"]))


def _add(build: _Build, resources: list[_Resource], root: Path) -> None:
    seen = {_identity(r.obj) for r in build.resources}
    for resource in resources:
        identity = _identity(resource.obj)
        if identity in seen:
            raise KustomizeError(f"{identity[1]} {identity[3]!r} is listed twice under '{root}'.")
        seen.add(identity)
        build.resources.append(resource)


def _generate(
    build: _Build, root: Path, kind: str, generator: dict[str, Any], options: dict[str, Any]
) -> None:
    unknown = sorted(set(generator) - _GENERATOR_FIELDS)
    if unknown:
        raise KustomizeError(f"{kind} generator in '{root}' uses unsupported {', '.join(unknown)}.")
    name = str(generator["name"])
    data: dict[str, str] = {}
    for entry in generator.get("files") or []:
        key, _, relative = str(entry).rpartition("=")
        path = _file(build, root, relative)
        data[key or path.name] = path.read_text(encoding="utf-8")
    for entry in generator.get("literals") or []:
        key, sep, value = str(entry).partition("=")
        if not sep:
            raise KustomizeError(f"Literal {entry!r} of {kind} {name!r} must read KEY=VALUE.")
        data[key] = value
    for relative in generator.get("envs") or []:
        for line in _file(build, root, relative).read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.lstrip().startswith("#"):
                key, _, value = line.partition("=")
                data[key.strip()] = value
    merged = {**options, **(generator.get("options") or {})}
    obj: Manifest = {"apiVersion": "v1", "kind": kind, "metadata": {"name": name}}
    if generator.get("namespace"):
        obj["metadata"]["namespace"] = generator["namespace"]
    for meta_key in ("labels", "annotations"):
        if merged.get(meta_key):
            obj["metadata"][meta_key] = {k: str(v) for k, v in merged[meta_key].items()}
    if kind == "Secret":
        obj["type"] = generator.get("type", "Opaque")
        obj["data"] = {k: _base64(v) for k, v in sorted(data.items())}
    else:
        obj["data"] = dict(sorted(data.items()))
    hashed = not merged.get("disableNameSuffixHash", False)
    behavior = generator.get("behavior", "create")
    existing = [r for r in build.resources if r.obj["kind"] == kind and r.obj["metadata"]["name"] == name]
    if behavior == "create":
        _add(build, [_Resource(obj, hashed)], root)
    elif behavior in ("replace", "merge") and len(existing) == 1:
        target = existing[0]
        if behavior == "merge":
            target.obj.setdefault("data", {}).update(obj["data"])
            target.obj["data"] = dict(sorted(target.obj["data"].items()))
        else:
            target.obj["data"] = obj["data"]
        target.hashed = target.hashed and hashed
    else:
        raise KustomizeError(
            f"{kind} generator {name!r} in '{root}' has behavior {behavior!r}, which needs exactly one "
            f"existing {kind} of that name (found {len(existing)})."
        )


def _base64(value: str) -> str:
    """Base64 as kustomize writes it: values longer than 70 characters wrapped at 70, newline-ended."""
    encoded = base64.b64encode(value.encode()).decode()
    if len(encoded) <= 70:
        return encoded
    return "".join(encoded[i : i + 70] + "\n" for i in range(0, len(encoded), 70))


def _matches(obj: Manifest, target: dict[str, Any]) -> bool:
    meta = obj.get("metadata", {})
    group, _, version = str(obj.get("apiVersion", "")).rpartition("/")
    checks = (
        ("kind", obj.get("kind")),
        ("name", meta.get("name")),
        ("namespace", meta.get("namespace")),
        ("group", group),
        ("version", version),
    )
    for key, actual in checks:
        if key in target and not re.fullmatch(str(target[key]), str(actual or "")):
            return False
    selector = target.get("labelSelector")
    if selector:
        labels = meta.get("labels") or {}
        for term in str(selector).split(","):
            key, _, value = term.partition("=")
            if labels.get(key.strip()) != value.strip():
                return False
    return True


def _patch(build: _Build, root: Path, patch: dict[str, Any]) -> None:
    if "path" in patch:
        text = _file(build, root, str(patch["path"])).read_text(encoding="utf-8")
    elif "patch" in patch:
        text = str(patch["patch"])
    else:
        raise KustomizeError(f"A patch in '{root}' needs 'path' or 'patch'.")
    documents = _parse_yaml(text, f"A patch in '{root}'")
    target = patch.get("target")
    for document in documents:
        if isinstance(document, list):  # JSON 6902
            if not target:
                raise KustomizeError(f"A JSON 6902 patch in '{root}' needs a 'target'.")
            selected = [r for r in build.resources if _matches(r.obj, target)]
            for resource in selected:
                try:
                    resource.obj = apply_json6902(resource.obj, document)
                except PatchError as exc:
                    raise KustomizeError(
                        f"A JSON 6902 patch in '{root}' fails on {resource.obj['kind']} "
                        f"{resource.obj['metadata']['name']!r}: {exc}"
                    ) from exc
        elif document.get("$patch") == "delete":  # a strategic merge patch that removes objects
            selector = target or {
                "kind": document.get("kind"),
                "name": re.escape(str(document.get("metadata", {}).get("name"))),
            }
            selected = [r for r in build.resources if _matches(r.obj, selector)]
            build.resources[:] = [r for r in build.resources if r not in selected]
        else:
            selector = target or {
                "kind": document.get("kind"),
                "name": re.escape(str(document.get("metadata", {}).get("name"))),
            }
            selected = [r for r in build.resources if _matches(r.obj, selector)]
            for resource in selected:
                body = copy.deepcopy(document)
                if target:  # a targeted patch may carry any kind and name: the target's stay
                    body.pop("apiVersion", None)
                    body.pop("kind", None)
                    body.get("metadata", {}).pop("name", None)
                resource.obj = strategic_merge(resource.obj, body)
        if not selected:
            raise KustomizeError(f"A patch in '{root}' matches no resource (target {target or 'by name'}).")


def _set_namespace(objects: list[Manifest], namespace: str) -> None:
    for obj in objects:
        if obj["kind"] not in CLUSTER_SCOPED_KINDS:
            obj.setdefault("metadata", {})["namespace"] = namespace
        if obj["kind"] in ("RoleBinding", "ClusterRoleBinding"):
            for subject in obj.get("subjects") or []:
                if subject.get("kind") == "ServiceAccount":
                    subject["namespace"] = namespace


def _pod_templates(obj: Manifest) -> list[Manifest]:
    if obj["kind"] in _POD_TEMPLATE_KINDS:
        return [obj.setdefault("spec", {}).setdefault("template", {})]
    if obj["kind"] == "CronJob":
        return [obj["spec"]["jobTemplate"]["spec"].setdefault("template", {})]
    if obj["kind"] == "Pod":
        return [obj]
    return []


def _add_labels(objects: list[Manifest], entry: dict[str, Any]) -> None:
    pairs = {k: str(v) for k, v in (entry.get("pairs") or {}).items()}
    selectors, templates = bool(entry.get("includeSelectors")), bool(entry.get("includeTemplates"))
    for obj in objects:
        obj.setdefault("metadata", {}).setdefault("labels", {}).update(pairs)
        if templates or selectors:
            for template in _pod_templates(obj):
                if template is not obj:
                    template.setdefault("metadata", {}).setdefault("labels", {}).update(pairs)
        if selectors:
            if obj["kind"] == "Service":
                obj.setdefault("spec", {}).setdefault("selector", {}).update(pairs)
            elif obj["kind"] in _POD_TEMPLATE_KINDS - {"Job"}:
                obj["spec"].setdefault("selector", {}).setdefault("matchLabels", {}).update(pairs)


def _set_replicas(objects: list[Manifest], entry: dict[str, Any], root: Path) -> None:
    hits = [o for o in objects if o["metadata"]["name"] == entry["name"] and "replicas" in o.get("spec", {})]
    if not hits:
        raise KustomizeError(f"replicas for {entry['name']!r} in '{root}' match no workload.")
    for obj in hits:
        obj["spec"]["replicas"] = int(entry["count"])


def _split_image(image: str) -> tuple[str, str]:
    """``registry/name:tag@digest`` → (name part, the ``:tag``/``@digest`` rest)."""
    name, at, digest = image.partition("@")
    slash = name.rfind("/")
    colon = name.rfind(":")
    if colon > slash:
        return name[:colon], name[colon:] + at + digest
    return name, at + digest


def _set_image(objects: list[Manifest], entry: dict[str, Any], root: Path) -> None:
    hits = 0
    for obj in objects:
        for template in _pod_templates(obj):
            spec = template.get("spec", {})
            for container in [*spec.get("initContainers", []), *spec.get("containers", [])]:
                name, rest = _split_image(str(container.get("image", "")))
                if name != entry["name"]:
                    continue
                hits += 1
                name = str(entry.get("newName", name))
                if "digest" in entry:
                    rest = "@" + str(entry["digest"])
                elif "newTag" in entry:
                    rest = ":" + str(entry["newTag"])
                container["image"] = name + rest
    if not hits:
        raise KustomizeError(f"images entry {entry['name']!r} in '{root}' matches no container.")


# kustomize replaces these hex digits so a suffix never spells a word.
_HASH_ALPHABET = str.maketrans("013ae", "ghkmt")


def _hash_suffix(obj: Manifest) -> str:
    """kustomize's content hash: SHA-256 of the canonical JSON, first 10 hex digits, vowel-free.

    kustomize hashes kind, data (and a Secret's type) with an empty name, so equal content under
    different names hashes alike.
    """
    payload: dict[str, Any] = {"kind": obj["kind"], "name": "", "data": obj.get("data", {})}
    if obj["kind"] == "Secret":
        payload["type"] = obj.get("type", "Opaque")
    encoded = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    # Go's encoding/json escapes these for HTML safety; the hash is taken over its bytes.
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        encoded = encoded.replace(char, escape)
    digest = hashlib.sha256(encoded.encode()).hexdigest()[:10]
    return digest.translate(_HASH_ALPHABET)


def _suffix_hashed_names(resources: list[_Resource]) -> None:
    renames: dict[tuple[str, str, str], str] = {}
    for resource in resources:
        if resource.hashed:
            meta = resource.obj["metadata"]
            new = f"{meta['name']}-{_hash_suffix(resource.obj)}"
            renames[(resource.obj["kind"], meta.get("namespace", ""), meta["name"])] = new
            meta["name"] = new
    if not renames:
        return
    for resource in resources:
        namespace = resource.obj.get("metadata", {}).get("namespace", "")
        for template in _pod_templates(resource.obj):
            _rename_references(template.get("spec", {}), namespace, renames)


def _rename_references(spec: Manifest, namespace: str, renames: dict[tuple[str, str, str], str]) -> None:
    def renamed(kind: str, name: Any) -> Any:
        return renames.get((kind, namespace, str(name)), name)

    for volume in spec.get("volumes", []):
        if "configMap" in volume:
            volume["configMap"]["name"] = renamed("ConfigMap", volume["configMap"].get("name"))
        if "secret" in volume:
            volume["secret"]["secretName"] = renamed("Secret", volume["secret"].get("secretName"))
        for source in volume.get("projected", {}).get("sources", []):
            if "configMap" in source:
                source["configMap"]["name"] = renamed("ConfigMap", source["configMap"].get("name"))
            if "secret" in source:
                source["secret"]["name"] = renamed("Secret", source["secret"].get("name"))
    for container in [*spec.get("initContainers", []), *spec.get("containers", [])]:
        for env in container.get("env", []):
            source = env.get("valueFrom", {})
            if "configMapKeyRef" in source:
                source["configMapKeyRef"]["name"] = renamed("ConfigMap", source["configMapKeyRef"]["name"])
            if "secretKeyRef" in source:
                source["secretKeyRef"]["name"] = renamed("Secret", source["secretKeyRef"]["name"])
        for env_from in container.get("envFrom", []):
            if "configMapRef" in env_from:
                env_from["configMapRef"]["name"] = renamed("ConfigMap", env_from["configMapRef"]["name"])
            if "secretRef" in env_from:
                env_from["secretRef"]["name"] = renamed("Secret", env_from["secretRef"]["name"])
