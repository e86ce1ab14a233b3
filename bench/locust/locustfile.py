"""Locust scenarios for the seeds' peaks, against the gateway of ``./dev up --partners``.

* ``SearchUser`` — the web app searching (applications by text, clients by name, products):
  ``--search-rps`` (50) in total.
* ``CheckoutUser`` — the web app creating submitted applications (idempotent): ``--checkout-rps`` (10).
* ``OsagoUser`` — ``--osago-users`` (2,500) people filling an OSAGO form: each keeps one
  graphql-transport-ws connection open for the whole run and, every ``--osago-think`` seconds on
  average, creates an OSAGO application, asks every insurer for a quote and holds the
  ``osagoOffers`` subscription open until the last insurer answered.
* ``PartnerFloodUser`` — partner acme-bank (contract 20 req/s, 600/min) sending ``--flood-rps`` (250).
* ``PartnerSteadyUser`` — partner travelshop sending ``--steady-rps`` (8) beside the flood.

When the run stops, it prints the seed figures met or not (``bench/locust/figures.py``).
Run it with ``bench/locust/run.py`` (starts the system on PostgreSQL + Redis), or by hand:

    locust -f bench/locust/locustfile.py --headless -u 2547 -r 100 -t 3m --host http://127.0.0.1:4500
"""

from __future__ import annotations

import contextlib
import json
import random
import sys
import time
import uuid
from pathlib import Path
from typing import Any, ClassVar

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # bench.locust.figures, whatever the working directory
    sys.path.insert(0, str(ROOT))

import gevent  # noqa: E402
from gevent.lock import Semaphore  # noqa: E402
from gevent.queue import Queue  # noqa: E402
from locust import FastHttpUser, User, constant, constant_throughput, events, task  # noqa: E402
from locust.env import Environment  # noqa: E402
from locust.runners import STATE_STOPPED, STATE_STOPPING  # noqa: E402
from websocket import WebSocket, create_connection  # noqa: E402

from bench.locust.figures import (  # noqa: E402
    Endpoint,
    Snapshot,
    Targets,
    evaluate,
    format_results,
    scenario_sizes,
)

# The demo keys of deploy/partners.yaml (digests only in that file).
WEBAPP_KEY = "demo-webapp-key-2026"
FLOOD_KEY = "demo-acme-bank-key-2026"
STEADY_KEY = "demo-travelshop-key-2026"


# The web app runs only its trusted documents (decision 0010): the operations of its build's
# manifest, sent by hash as the app does.
def _webapp_operations() -> dict[str, str]:
    manifest = json.loads((ROOT / "deploy" / "manifests" / "webapp.json").read_text(encoding="utf-8"))
    return {op["name"]: op["id"] for op in manifest["operations"]}


WEBAPP_OPERATIONS = _webapp_operations()


def _manifest_body(name: str) -> str:
    """A partner may send the body of an operation of its manifests, byte for byte."""
    manifest = json.loads(
        (ROOT / "deploy" / "manifests" / "applications-read.json").read_text(encoding="utf-8")
    )
    return str(next(op["body"] for op in manifest["operations"] if op["name"] == name))


PARTNER_SEARCH = {"query": _manifest_body("SearchApplications"), "variables": {"q": "ложка"}}
SEARCH_WORDS = ("ложка", "серебряная", "квартира", "перезвонить", "страховщиков", "визы", "гараже", "посуда")
CLIENT_NAMES = ("Иванов", "Петров", "Смирнова", "Кузнецов", "Попова", "Соколов", "Лебедева", "Козлов")


class _Shared:
    """Ids every scenario needs, fetched once per Locust process; counters of the run."""

    lock: ClassVar[Semaphore] = Semaphore()
    clients: ClassVar[list[str]] = []
    products: ClassVar[dict[str, list[str]]] = {}
    counters: ClassVar[dict[str, float]] = {
        "ws_open": 0,
        "ws_peak": 0,
        "quotes_started": 0,
        "quotes_completed": 0,
        "quote_slowest_s": 0.0,
        "flood_accepted": 0,
        "flood_refused": 0,
        "steady_refused": 0,
    }
    started_at = 0.0


def _bump(name: str, by: float = 1) -> None:
    counters = _Shared.counters
    counters[name] += by
    if name == "ws_open":
        counters["ws_peak"] = max(counters["ws_peak"], counters["ws_open"])


def _options(parser: Any) -> None:
    parser.add_argument("--search-rps", type=float, default=50.0)
    parser.add_argument("--checkout-rps", type=float, default=10.0)
    parser.add_argument("--osago-users", type=int, default=2500)
    parser.add_argument("--osago-think", type=float, default=240.0, help="mean seconds between two quotes")
    parser.add_argument("--flood-rps", type=float, default=250.0)
    parser.add_argument("--steady-rps", type=float, default=8.0)


def _size_the_scenarios(environment: Environment, **_kwargs: Any) -> None:
    options = environment.parsed_options
    if options is None:
        return
    sizes = scenario_sizes(
        options.search_rps, options.checkout_rps, options.osago_users, options.flood_rps, options.steady_rps
    )
    for user, scenario, rps in (
        (SearchUser, "search", options.search_rps),
        (CheckoutUser, "checkout", options.checkout_rps),
        (PartnerFloodUser, "flood", options.flood_rps),
        (PartnerSteadyUser, "steady", options.steady_rps),
    ):
        user.fixed_count = sizes[scenario]
        if sizes[scenario]:
            user.wait_time = constant_throughput(rps / sizes[scenario])
    OsagoUser.fixed_count = sizes["osago"]
    OsagoUser.think = options.osago_think


def _measure_from_now(**_kwargs: Any) -> None:
    """With --reset-stats Locust forgets the ramp-up; so do the scenario counters."""
    counters = _Shared.counters
    for name in counters:
        if name not in ("ws_open", "ws_peak"):
            counters[name] = 0
    _Shared.started_at = time.monotonic()


def _started(**_kwargs: Any) -> None:
    _Shared.started_at = time.monotonic()


def _endpoint(environment: Environment, name: str, method: str) -> Endpoint:
    entry = environment.stats.get(name, method)
    return Endpoint(
        entry.num_requests,
        entry.num_failures,
        entry.total_rps,
        entry.get_response_time_percentile(0.5) or 0.0,
        entry.get_response_time_percentile(0.99) or 0.0,
    )


def _report(environment: Environment, **_kwargs: Any) -> None:
    options = environment.parsed_options
    if options is None:
        return
    targets = Targets(
        search_rps=options.search_rps,
        checkout_rps=options.checkout_rps,
        osago_users=options.osago_users,
        flood_rps=options.flood_rps,
    )
    counters = _Shared.counters
    snapshot = Snapshot(
        duration_s=time.monotonic() - _Shared.started_at,
        endpoints={
            "search": _endpoint(environment, "search", "POST"),
            "checkout": _endpoint(environment, "checkout", "POST"),
            "partner steady": _endpoint(environment, "partner steady", "POST"),
        },
        ws_peak=int(counters["ws_peak"]),
        quotes_started=int(counters["quotes_started"]),
        quotes_completed=int(counters["quotes_completed"]),
        quote_slowest_s=counters["quote_slowest_s"],
        flood_accepted=int(counters["flood_accepted"]),
        flood_refused=int(counters["flood_refused"]),
        steady_refused=int(counters["steady_refused"]),
    )
    results = evaluate(snapshot, targets)
    print(format_results(results), flush=True)
    failed = environment.stats.total.num_failures
    if failed:
        print(f"{failed} requests failed (see the error report).", flush=True)
    # 4: requests failed; 3: figures not met; 0: every figure met without a failed request.
    environment.process_exit_code = 4 if failed else 0 if all(r.met for r in results) else 3


events.init_command_line_parser.add_listener(_options)  # type: ignore[no-untyped-call]
events.init.add_listener(_size_the_scenarios)  # type: ignore[no-untyped-call]
events.spawning_complete.add_listener(_measure_from_now)  # type: ignore[no-untyped-call]
events.test_start.add_listener(_started)  # type: ignore[no-untyped-call]
events.test_stop.add_listener(_report)  # type: ignore[no-untyped-call]


class _GraphQLUser(FastHttpUser):
    abstract = True
    api_key = WEBAPP_KEY

    def graphql(
        self, name: str, operation: str, variables: dict[str, Any] | None = None
    ) -> dict[str, Any] | None:
        """POST one of the web app's persisted operations by hash; a failure is any non-200,
        a GraphQL error or no data."""
        body = {
            "operationName": operation,
            "variables": variables or {},
            "extensions": {"persistedQuery": {"version": 1, "sha256Hash": WEBAPP_OPERATIONS[operation]}},
        }
        with self.client.post(
            "/graphql", json=body, headers={"X-API-Key": self.api_key}, name=name, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}: {(response.text or '')[:200]}")
                return None
            payload = json.loads(response.text or "{}")
            if payload.get("errors") or not payload.get("data"):
                response.failure(f"GraphQL errors: {json.dumps(payload.get('errors'))[:300]}")
                return None
            data: dict[str, Any] = payload["data"]
            return data

    def on_start(self) -> None:
        with _Shared.lock:
            if not _Shared.clients:
                self._load_ids()

    def _load_ids(self) -> None:
        products = self.graphql("setup", "Products")
        clients: set[str] = set()
        for surname in CLIENT_NAMES:
            found = self.graphql("setup", "SearchClients", {"query": surname})
            clients.update(c["id"] for c in (found or {}).get("searchClients", []))
        if not products or not clients:
            raise RuntimeError("The gateway did not answer the set-up queries; is the system up and seeded?")
        _Shared.clients = sorted(clients)
        for product in products["products"]:
            _Shared.products.setdefault(product["kind"], []).append(product["id"])

    def application_input(self, kind: str) -> dict[str, Any]:
        vehicle = None
        insured = {"kind": "PERSON", "description": "Застрахованное лицо"}
        if kind == "OSAGO":
            insured = {"kind": "VEHICLE", "description": "Легковой автомобиль"}
            vin = "XTA" + uuid.uuid4().hex[:14].upper()
            vehicle = {"vin": vin, "year": 2019, "enginePowerHp": 150, "make": "Lada", "model": "Vesta"}
        return {
            "clientId": random.choice(_Shared.clients),
            "productId": random.choice(_Shared.products[kind]),
            "insuredObject": insured,
            "sumInsuredKopecks": 100_000_000,
            "termMonths": 12,
            "vehicle": vehicle,
            "comment": "нагрузочный тест",
            "submit": True,
        }


class SearchUser(_GraphQLUser):
    """The web app's searches (seed: 50 req/s at peak)."""

    fixed_count = 25

    @task(3)
    def search_applications(self) -> None:
        self.graphql(
            "search", "BackOfficeSearchApplications", {"q": random.choice(SEARCH_WORDS), "limit": 20}
        )

    @task(2)
    def search_clients(self) -> None:
        self.graphql("search", "SearchClients", {"query": random.choice(CLIENT_NAMES)})

    @task(1)
    def list_products(self) -> None:
        self.graphql("search", "Products")


class CheckoutUser(_GraphQLUser):
    """The web app's checkouts: submitted applications (seed: 10 req/s at peak)."""

    fixed_count = 5

    @task
    def checkout(self) -> None:
        kind = random.choice([k for k in ("LIFE", "TRAVEL", "PROPERTY") if k in _Shared.products])
        variables = {"input": self.application_input(kind), "idempotencyKey": uuid.uuid4().hex}
        self.graphql("checkout", "WebCreateApplication", variables)


class _Socket:
    """One graphql-transport-ws connection with a reader greenlet.

    The reader receives every frame as it arrives, so the server's pings are answered even while
    the user waits on an HTTP call, and hands protocol messages to ``messages``.
    """

    def __init__(self, url: str, api_key: str) -> None:
        self.ws: WebSocket = create_connection(
            url, subprotocols=["graphql-transport-ws"], header=[f"X-API-Key: {api_key}"], timeout=30
        )
        self.ws.send(json.dumps({"type": "connection_init", "payload": {}}))
        ack = json.loads(self.ws.recv())
        if ack.get("type") != "connection_ack":
            self.ws.close()
            raise ConnectionError(f"no connection_ack: {ack}")
        self.ws.settimeout(None)
        self.messages: Queue[dict[str, Any] | None] = Queue()
        self.open = True
        self.reader = gevent.spawn(self._read)
        _bump("ws_open")

    def _read(self) -> None:
        try:
            while True:
                self.messages.put(json.loads(self.ws.recv()))
        except Exception:
            pass
        finally:
            if self.open:
                self.open = False
                _bump("ws_open", -1)
            self.messages.put(None)  # wakes a waiting subscriber: the socket is gone

    def send(self, message: dict[str, Any]) -> None:
        self.ws.send(json.dumps(message))

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.ws.close()
        self.reader.kill()


class OsagoUser(_GraphQLUser):
    """One person comparing OSAGO offers: a WebSocket held for the whole run, a quote now and then."""

    fixed_count = 2500
    think = 240.0
    wait_time = constant(0)  # the task itself idles between quotes

    def on_start(self) -> None:
        super().on_start()
        self.socket: _Socket | None = None
        self.operations = 0
        self._connect()
        # People start at different moments: spread the first quotes over one think time.
        self._idle(random.uniform(0, self.think))

    def on_stop(self) -> None:
        if self.socket is not None:
            self.socket.close()
            self.socket = None

    def _connect(self) -> None:
        host = str(self.host).replace("http://", "ws://").replace("https://", "wss://")
        started = time.perf_counter()
        try:
            self.socket = _Socket(f"{host}/graphql", self.api_key)
        except Exception as exc:
            self.socket = None
            self._fire("osago: connect", started, exc)
        else:
            self._fire("osago: connect", started, None)

    def _fire(self, name: str, started: float, exc: Exception | None) -> None:
        self.environment.events.request.fire(
            request_type="WS",
            name=name,
            response_time=(time.perf_counter() - started) * 1000,
            response_length=0,
            exception=exc,
            context={},
        )

    def _idle(self, seconds: float) -> None:
        """Think for ``seconds``, or until the run stops."""
        deadline = time.monotonic() + seconds
        while (remaining := deadline - time.monotonic()) > 0:
            runner = self.environment.runner
            if runner is not None and runner.state in (STATE_STOPPING, STATE_STOPPED):
                return
            gevent.sleep(min(remaining, 1.0))

    @task
    def quote_then_think(self) -> None:
        if self.socket is None or not self.socket.open:
            if self.socket is not None:
                self.socket.close()
            self._connect()  # like graphql-ws clients: reconnect, then carry on
            if self.socket is None:
                gevent.sleep(1)
                return
        self._quote(self.socket)
        self._idle(random.uniform(0.5, 1.5) * self.think)

    def _quote(self, socket: _Socket) -> None:
        application_input = self.application_input("OSAGO")
        created = self.graphql(
            "osago: create application",
            "WebCreateApplication",
            {"input": application_input, "idempotencyKey": uuid.uuid4().hex},
        )
        if not created:
            return
        application = created["createApplication"]["application"]["id"]
        quote_input = {
            "applicationId": application,
            "clientId": application_input["clientId"],  # quotes are for the application's own client
            "enginePowerHp": 150,
            "region": "77",
            "driverAge": random.randint(22, 70),
            "driverExperienceYears": 3,
        }
        started = time.perf_counter()
        session = self.graphql("osago: request quotes", "RequestOsagoQuotes", {"input": quote_input})
        if not session:
            return
        _bump("quotes_started")
        self.operations += 1
        op_id = str(self.operations)
        variables = {"sessionId": session["requestOsagoQuotes"]["id"]}
        payload = {
            "operationName": "OsagoOffers",
            "variables": variables,
            "extensions": {"persistedQuery": {"version": 1, "sha256Hash": WEBAPP_OPERATIONS["OsagoOffers"]}},
        }
        first: float | None = None
        try:
            socket.send({"id": op_id, "type": "subscribe", "payload": payload})
            deadline = time.monotonic() + Targets().quote_deadline_s + 10
            while True:
                message = socket.messages.get(timeout=max(0.0, deadline - time.monotonic()))
                if message is None:
                    raise ConnectionError("the WebSocket closed before the last offer")
                if message.get("id") != op_id:
                    continue
                if message["type"] == "next":
                    if first is None:
                        first = time.perf_counter()
                        self._fire("osago: first offer", started, None)
                    continue
                if message["type"] == "complete":
                    break
                raise RuntimeError(f"subscription error: {json.dumps(message)[:300]}")
        except Exception as exc:
            self._fire("osago: all offers", started, exc)
            return
        elapsed = time.perf_counter() - started
        _bump("quotes_completed")
        _Shared.counters["quote_slowest_s"] = max(_Shared.counters["quote_slowest_s"], elapsed)
        self._fire("osago: all offers", started, None)


class _PartnerUser(User):
    """A partner calling its persisted search; 429 is an expected answer, counted apart."""

    abstract = True
    api_key = ""
    name = ""
    refused_counter = ""
    accepted_counter = ""

    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        from geventhttpclient import URL, HTTPClient

        url = URL(str(self.host) + "/graphql")
        self.path = url.request_uri
        self.http = HTTPClient.from_url(url, concurrency=1, network_timeout=30, connection_timeout=10)
        self.body = json.dumps(PARTNER_SEARCH).encode()

    @task
    def search(self) -> None:
        started = time.perf_counter()
        exc: Exception | None = None
        try:
            response = self.http.post(
                self.path,
                body=self.body,
                headers={"X-API-Key": self.api_key, "Content-Type": "application/json"},
            )
            response.read()
            status = response.status_code
            if status == 429:
                _bump(self.refused_counter)
            elif status == 200:
                if self.accepted_counter:
                    _bump(self.accepted_counter)
            else:
                exc = RuntimeError(f"HTTP {status}")
        except Exception as error:
            exc = error
        self.environment.events.request.fire(
            request_type="POST",
            name=self.name,
            response_time=(time.perf_counter() - started) * 1000,
            response_length=0,
            exception=exc,
            context={},
        )


class PartnerFloodUser(_PartnerUser):
    """acme-bank, contract 20 req/s and 600/min, sending 250 req/s (seed 004)."""

    fixed_count = 10
    api_key = FLOOD_KEY
    name = "partner flood"
    refused_counter = "flood_refused"
    accepted_counter = "flood_accepted"


class PartnerSteadyUser(_PartnerUser):
    """travelshop, within its contract, beside the flood: it must not notice."""

    fixed_count = 2
    api_key = STEADY_KEY
    name = "partner steady"
    refused_counter = "steady_refused"
