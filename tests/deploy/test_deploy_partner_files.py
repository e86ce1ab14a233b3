"""The gateway's partner files in Kubernetes: everything deploy/partners.yaml names is mounted beside it."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.deploy.deploy_world import REPO, find, rendered


def _partners_volume(overlay: str) -> tuple[dict[str, str], dict[str, object]]:
    objects = rendered(overlay)
    pod = find(objects, "Deployment", "gateway")["spec"]["template"]["spec"]
    (volume,) = [v for v in pod["volumes"] if v["name"] == "partners"]
    paths: dict[str, str] = {}
    for source in volume["projected"]["sources"]:
        kind = "configMap" if "configMap" in source else "secret"
        for item in source[kind]["items"]:
            paths[item["path"]] = source[kind]["name"]
    config_map = find(objects, "ConfigMap", "partner-api")
    return paths, config_map["data"]


@pytest.mark.parametrize("overlay", ["local", "production"])
def test_every_manifest_the_partner_file_names_is_mounted_with_it(overlay: str) -> None:
    partners = yaml.safe_load((REPO / "deploy" / "partners.yaml").read_text())
    named = {manifest for partner in partners["partners"] for manifest in partner.get("manifests", [])}
    paths, data = _partners_volume(overlay)
    assert named <= set(paths), f"not mounted: {sorted(named - set(paths))}"
    assert {"partners.yaml", "rest.yaml"} <= set(paths)
    for path in named:
        key = Path(path).name
        assert data[key] == (REPO / "deploy" / path).read_text(encoding="utf-8"), (
            f"{key} differs from deploy/{path}"
        )


def test_the_gateway_serves_the_web_app_built_into_the_image() -> None:
    container = find(rendered("production"), "Deployment", "gateway")["spec"]["template"]["spec"][
        "containers"
    ][0]
    assert "--web=/opt/insuretech/web" in container["args"]
    assert "COPY --from=web /src/web/dist /opt/insuretech/web" in (REPO / "deploy" / "Dockerfile").read_text()
