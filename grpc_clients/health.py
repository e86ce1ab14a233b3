"""Ask a backend whether it is serving, with the standard gRPC health checking protocol.

See https://github.com/grpc/grpc/blob/master/doc/health-checking.md
"""

from __future__ import annotations

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc

__all__ = ["check_serving"]


async def check_serving(channel: grpc.aio.Channel, service_name: str, *, deadline: float = 1.0) -> bool:
    """True when the backend reports ``service_name`` as SERVING within ``deadline`` seconds.

    Any failure (unreachable, unknown service, NOT_SERVING, deadline) counts as not serving.
    """
    stub = health_pb2_grpc.HealthStub(channel)
    try:
        response = await stub.Check(health_pb2.HealthCheckRequest(service=service_name), timeout=deadline)
    except grpc.RpcError:
        return False
    return bool(response.status == health_pb2.HealthCheckResponse.SERVING)
