from __future__ import annotations

import pytest

from gateway.config import DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_DEPTH, Settings


def test_defaults() -> None:
    settings = Settings()
    assert settings.max_body_bytes == DEFAULT_MAX_BODY_BYTES == 2 * 1024 * 1024
    assert settings.max_depth == DEFAULT_MAX_DEPTH == 15
    assert settings.dedupe_inflight is False
    assert settings.dev is False


def test_from_env_reads_prefixed_variables_and_overrides_win() -> None:
    env = {
        "GATEWAY_PORT": "8080",
        "GATEWAY_DEV": "true",
        "GATEWAY_MAX_DEPTH": "7",
        "GATEWAY_SUBGRAPH_TIMEOUT": "2.5",
        "GATEWAY_SUBGRAPH_URL_CLIENT_INFO": "http://ci:8000/graphql",
        "GATEWAY_SUBGRAPH_URL_EMPTY": "",
        "OTHER": "x",
    }
    settings = Settings.from_env(env, port=9000, host=None)
    assert settings.port == 9000
    assert settings.host == "127.0.0.1"
    assert settings.dev is True
    assert settings.max_depth == 7
    assert settings.subgraph_timeout == 2.5
    assert settings.subgraph_url("client_info", "http://default") == "http://ci:8000/graphql"
    assert settings.subgraph_url("CLIENT_INFO", "http://default") == "http://ci:8000/graphql"
    assert settings.subgraph_url("empty", "http://default") == "http://default"
    assert settings.subgraph_url("client-info", "http://default") == "http://ci:8000/graphql"


def test_bad_values_name_the_variable() -> None:
    with pytest.raises(ValueError, match="'GATEWAY_PORT' must be a int, got 'abc'"):
        Settings.from_env({"GATEWAY_PORT": "abc"})


def test_with_changes_returns_a_copy() -> None:
    settings = Settings()
    assert settings.with_changes(max_depth=3).max_depth == 3
    assert settings.max_depth == 15


def test_invalid_values_are_rejected() -> None:
    with pytest.raises(ValueError, match="subgraph_client must be 'native' or 'httpx', got 'curl'"):
        Settings(subgraph_client="curl")
    with pytest.raises(ValueError, match="must be positive"):
        Settings(max_depth=0)


def test_forward_headers_from_env() -> None:
    settings = Settings.from_env({"GATEWAY_FORWARD_HEADERS": "Authorization, X-Trace-Id,"})
    assert settings.forward_headers == ("authorization", "x-trace-id")


@pytest.mark.parametrize("header", ["x-partner-id", "X-Partner-Id", "x-api-key"])
def test_identity_headers_cannot_be_forwarded(header: str) -> None:
    # The gateway alone says who is calling; a client's own x-partner-id must never reach a subgraph.
    with pytest.raises(ValueError, match=r"the gateway sets it|never leaves the gateway"):
        Settings.from_env({"GATEWAY_FORWARD_HEADERS": f"authorization,{header}"})
    with pytest.raises(ValueError, match="forward_headers"):
        Settings(forward_headers=(header.lower(),))


def test_partner_api_settings_from_plain_and_prefixed_variables() -> None:
    plain = Settings.from_env(
        {"PARTNERS_FILE": "p.yaml", "REST_FILE": "r.yaml", "REDIS_URL": "redis://r:6379/0"}
    )
    assert (plain.partners_path, plain.rest_path, plain.redis_url) == ("p.yaml", "r.yaml", "redis://r:6379/0")
    assert plain.redis_prefix == "insuretech"
    prefixed = Settings.from_env(
        {"PARTNERS_FILE": "p.yaml", "GATEWAY_PARTNERS_PATH": "q.yaml", "GATEWAY_REDIS_PREFIX": "t"},
        rest_path="cli.yaml",
    )
    assert (prefixed.partners_path, prefixed.rest_path, prefixed.redis_prefix) == ("q.yaml", "cli.yaml", "t")
    assert Settings.from_env({}).partners_path is None
