"""Channel configuration: addresses from the environment, retries only for reads, keep-alive."""

from __future__ import annotations

import json

import pytest

from grpc_clients.channels import (
    APPLICATIONS,
    CLIENT_INFO,
    CORE_APP,
    ChannelSettings,
    channel_options,
    read_methods,
    service_config,
    settings_from_env,
)


def test_default_addresses() -> None:
    assert settings_from_env(CLIENT_INFO, {}).address == "127.0.0.1:50051"
    assert settings_from_env(APPLICATIONS, {}).address == "127.0.0.1:50052"
    assert settings_from_env(CORE_APP, {}).address == "127.0.0.1:50053"


def test_addresses_and_timeout_from_env() -> None:
    settings = settings_from_env(
        CORE_APP, {"CORE_APP_GRPC": "core:9000", "GRPC_CLIENT_TIMEOUT_SECONDS": "2.5"}
    )
    assert settings == ChannelSettings(address="core:9000", timeout=2.5)


@pytest.mark.parametrize("raw", ["0", "-1", "soon"])
def test_bad_timeout_is_a_clear_error(raw: str) -> None:
    with pytest.raises(ValueError, match="GRPC_CLIENT_TIMEOUT_SECONDS must be a positive number"):
        settings_from_env(CLIENT_INFO, {"GRPC_CLIENT_TIMEOUT_SECONDS": raw})


def test_full_service_names() -> None:
    assert CLIENT_INFO.service_name == "insuretech.client_info.v1.ClientInfoService"
    assert APPLICATIONS.service_name == "insuretech.applications.v1.ApplicationsService"
    assert CORE_APP.service_name == "insuretech.core_app.v1.CoreAppService"


def test_only_read_methods_are_retried() -> None:
    assert read_methods(CLIENT_INFO) == ("GetClient", "BatchGetClients", "SearchClients", "ListClients")
    assert set(read_methods(APPLICATIONS)) == {
        "GetApplication",
        "BatchGetApplications",
        "ListApplications",
        "SearchApplications",
        "BatchListApplicationsByClient",
    }
    core = set(read_methods(CORE_APP))
    assert "WatchQuoteSession" not in core  # a server stream: never retried transparently
    assert not core & {"RequestOsagoQuotes", "IssuePolicy"}
    assert {"BatchGetProducts", "BatchListOffersByApplication", "GetQuoteSession", "ListTariffs"} <= core


def test_service_config_retry_policy() -> None:
    config = service_config(APPLICATIONS, ChannelSettings("x:1"))
    (method_config,) = config["methodConfig"]
    names = {entry["method"] for entry in method_config["name"]}
    assert "CreateApplication" not in names
    assert "CancelApplication" not in names
    policy = method_config["retryPolicy"]
    assert policy["retryableStatusCodes"] == ["UNAVAILABLE"]
    assert policy["maxAttempts"] == 3


def test_a_name_with_several_addresses_spreads_calls_round_robin() -> None:
    # A headless Service resolves to every backend pod: each gets its own subchannel.
    assert service_config(APPLICATIONS, ChannelSettings("x:1"))["loadBalancingConfig"] == [
        {"round_robin": {}}
    ]


def test_channel_options_carry_keepalive_and_service_config() -> None:
    options = dict(channel_options(CLIENT_INFO, ChannelSettings("x:1")))
    assert options["grpc.keepalive_time_ms"] > 0
    assert options["grpc.enable_retries"] == 1
    assert json.loads(options["grpc.service_config"]) == service_config(CLIENT_INFO, ChannelSettings("x:1"))
