"""The offline renderer reproduces kustomize: generators and their hashes, patches, transformers, errors."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from deploy.kustomize import KustomizeError, render
from tests.deploy.deploy_world import OVERLAYS, find, rendered, write_kustomization

DEPLOYMENT = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, labels: {tier: front}}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: example/web:1.0
          env: [{name: A, value: "1"}]
          envFrom: [{configMapRef: {name: settings}}]
          volumeMounts: [{name: cfg, mountPath: /cfg}]
      volumes:
        - {name: cfg, configMap: {name: settings}}
        - {name: key, secret: {secretName: key}}
"""


def test_generated_names_carry_kustomizes_content_hash(tmp_path: Path) -> None:
    # The expected names were printed by kustomize v5.5 (kubectl kustomize) for this input.
    root = write_kustomization(
        tmp_path,
        "configMapGenerator: [{name: x, literals: [a=b]}]\nsecretGenerator: [{name: s, literals: [a=b]}]\n",
    )
    assert [o["metadata"]["name"] for o in render(root)] == ["x-4h2mbtbbt6", "s-k695gkmbtk"]


def test_generated_names_are_rewritten_in_every_reference(tmp_path: Path) -> None:
    root = write_kustomization(
        tmp_path,
        "resources: [web.yaml]\n"
        "configMapGenerator: [{name: settings, literals: [MODE=prod]}]\n"
        "secretGenerator: [{name: key, literals: [k=v], options: {disableNameSuffixHash: true}}]\n",
        web__yaml=DEPLOYMENT,
    )
    objects = render(root)
    settings = find(objects, "ConfigMap", "settings")["metadata"]["name"]
    assert settings.startswith("settings-")
    pod = find(objects, "Deployment", "web")["spec"]["template"]["spec"]
    assert pod["containers"][0]["envFrom"][0]["configMapRef"]["name"] == settings
    assert pod["volumes"][0]["configMap"]["name"] == settings
    assert pod["volumes"][1]["secret"]["secretName"] == "key", "no suffix where disabled"


def test_long_secret_values_are_wrapped_like_kustomize(tmp_path: Path) -> None:
    (tmp_path / "big.txt").write_text("x" * 100)
    root = write_kustomization(tmp_path, "secretGenerator: [{name: s, files: [big.txt]}]\n")
    (secret,) = render(root)
    lines = secret["data"]["big.txt"].split("\n")
    assert [len(line) for line in lines] == [70, 66, 0]


def test_overlay_patches_namespace_labels_images_and_replicas(tmp_path: Path) -> None:
    base = write_kustomization(tmp_path / "base", "resources: [web.yaml]\n", web__yaml=DEPLOYMENT)
    overlay = write_kustomization(
        tmp_path / "overlay",
        f"resources: [{base}]\n"
        "namespace: shop\n"
        "labels: [{pairs: {team: t1}, includeTemplates: true}]\n"
        "commonAnnotations: {owner: ops}\n"
        "replicas: [{name: web, count: 4}]\n"
        "images: [{name: example/web, newName: registry.test/web, newTag: '2.0'}]\n"
        "patches:\n"
        "  - patch: |-\n"
        "      apiVersion: apps/v1\n"
        "      kind: Deployment\n"
        "      metadata: {name: web}\n"
        "      spec:\n"
        "        template:\n"
        "          spec:\n"
        "            containers:\n"
        "              - name: web\n"
        "                env: [{name: B, value: '2'}]\n"
        "  - target: {kind: Deployment, labelSelector: tier=front}\n"
        "    patch: |-\n"
        "      - {op: replace, path: /spec/template/spec/containers/0/env/0/value, value: '9'}\n",
    )
    (web,) = render(overlay)
    assert web["metadata"]["namespace"] == "shop"
    assert web["metadata"]["labels"] == {"tier": "front", "team": "t1"}
    assert web["metadata"]["annotations"] == {"owner": "ops"}
    assert web["spec"]["template"]["metadata"]["labels"] == {"app": "web", "team": "t1"}
    assert web["spec"]["selector"] == {"matchLabels": {"app": "web"}}, "selectors untouched"
    assert web["spec"]["replicas"] == 4
    container = web["spec"]["template"]["spec"]["containers"][0]
    assert container["image"] == "registry.test/web:2.0"
    assert container["env"] == [{"name": "A", "value": "9"}, {"name": "B", "value": "2"}]


def test_a_component_sees_the_generated_objects_of_its_parent(tmp_path: Path) -> None:
    component = write_kustomization(
        tmp_path / "component",
        "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nlabels: [{pairs: {c: 'y'}}]\n",
    )
    root = write_kustomization(
        tmp_path / "root",
        f"configMapGenerator: [{{name: x, literals: [a=b]}}]\ncomponents: [{component}]\n",
    )
    (config_map,) = render(root)
    assert config_map["metadata"]["labels"] == {"c": "y"}


def test_delete_patch_removes_the_object(tmp_path: Path) -> None:
    root = write_kustomization(
        tmp_path,
        "resources: [web.yaml]\npatches:\n  - patch: |-\n      $patch: delete\n"
        "      apiVersion: apps/v1\n      kind: Deployment\n      metadata: {name: web}\n",
        web__yaml=DEPLOYMENT,
    )
    assert render(root) == []


@pytest.mark.parametrize(
    ("text", "files", "message"),
    [
        ("helmCharts: []\n", {}, "'helmCharts', which this renderer does not support"),
        ("resources: [missing.yaml]\n", {}, "'missing.yaml' (from"),
        ("resources: [web.yaml, web.yaml]\n", {"web__yaml": DEPLOYMENT}, "listed twice"),
        (
            'resources: [web.yaml]\npatches: [{patch: "apiVersion: v1\\nkind: Service\\nmetadata: {name: nope}"}]\n',
            {"web__yaml": DEPLOYMENT},
            "matches no resource",
        ),
        (
            "resources: [web.yaml]\npatches: [{target: {kind: Deployment}, patch: '[{op: remove, path: /spec/nope}]'}]\n",
            {"web__yaml": DEPLOYMENT},
            "nothing there to remove",
        ),
        ("replicas: [{name: ghost, count: 2}]\n", {}, "match no workload"),
        ("configMapGenerator: [{name: c, literals: [novalue]}]\n", {}, "must read KEY=VALUE"),
        ("resources: [bad.yaml]\n", {"bad__yaml": "kind: [unclosed"}, "is not valid YAML"),
    ],
)
def test_mistakes_are_errors_that_say_what_to_fix(
    tmp_path: Path, text: str, files: dict[str, str], message: str
) -> None:
    root = write_kustomization(tmp_path, text, **files)
    with pytest.raises(KustomizeError, match=message.replace("(", r"\(").replace("[", r"\[")):
        render(root)


def test_files_outside_the_root_need_the_load_restrictor_off(tmp_path: Path) -> None:
    (tmp_path / "outside.txt").write_text("x")
    root = write_kustomization(tmp_path / "k", "configMapGenerator: [{name: c, files: [../outside.txt]}]\n")
    with pytest.raises(KustomizeError, match="LoadRestrictionsNone"):
        render(root)
    assert render(root, load_restrictor="none")[0]["data"] == {"outside.txt": "x"}


@pytest.mark.parametrize("overlay", ["local", "production"])
def test_same_objects_as_kubectl_kustomize_where_it_is_installed(overlay: str) -> None:
    """An oracle check: where kubectl exists (the project's machines have had one), compare outputs."""
    kubectl = shutil.which("kubectl")
    if kubectl is None:
        pytest.skip("kubectl is not installed; the renderer's semantics are covered by the tests above.")
    output = subprocess.run(
        [kubectl, "kustomize", "--load-restrictor", "LoadRestrictionsNone", str(OVERLAYS / overlay)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout
    theirs = {(o["kind"], o["metadata"]["name"]): o for o in yaml.safe_load_all(output)}
    ours = {(o["kind"], o["metadata"]["name"]): o for o in rendered(overlay)}
    assert ours == theirs
