"""Backend gRPC services: each owns its data and exposes it through ``grpc.aio``."""
