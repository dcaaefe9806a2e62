"""A Python client of the Coupler cloud API, with stubs generated from proto/ by grpc_tools.

It proves the API is usable from outside Node: it enrols a gateway with a bootstrap token and a
CSR, lists the fleet with an API key, then queries that gateway's telemetry (raw and downsampled)
and exports its billing records as CSV. Prints one JSON object per step on stdout.
"""
import argparse
import json
import sys

import grpc


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--gen", required=True, help="folder with the generated *_pb2 modules")
    parser.add_argument("--api", required=True, help="host:port of the cloud API port (TLS)")
    parser.add_argument("--ca", required=True, help="PEM file of the fleet CA")
    parser.add_argument("--token", required=True, help="bootstrap token")
    parser.add_argument("--csr", required=True, help="PEM certificate signing request")
    parser.add_argument("--api-key", required=True, help="API key for ListGateways and telemetry")
    parser.add_argument("--telemetry-gateway", required=True, help="gateway whose telemetry to query")
    parser.add_argument("--from-ms", type=int, required=True, help="start of the telemetry range")
    parser.add_argument("--to-ms", type=int, required=True, help="end of the telemetry range")
    args = parser.parse_args()

    sys.path.insert(0, args.gen)
    from coupler.fleet.v1 import fleet_pb2, fleet_pb2_grpc
    from coupler.identity.v1 import identity_pb2, identity_pb2_grpc
    from coupler.sync.v1 import sync_pb2
    from coupler.telemetry.v1 import telemetry_pb2, telemetry_pb2_grpc

    with open(args.ca, "rb") as f:
        channel = grpc.secure_channel(args.api, grpc.ssl_channel_credentials(root_certificates=f.read()))
    with open(args.csr, "r", encoding="ascii") as f:
        csr_pem = f.read()

    enrolment = identity_pb2_grpc.EnrolmentServiceStub(channel)
    enrolled = enrolment.Enroll(
        identity_pb2.EnrollRequest(bootstrap_token=args.token, csr_pem=csr_pem), timeout=10
    )
    print(json.dumps({"step": "enrolled", "gateway_id": enrolled.gateway_id,
                      "serial": enrolled.serial,
                      "has_certificate": "BEGIN CERTIFICATE" in enrolled.certificate_pem}))

    # A spent token must be refused with UNAUTHENTICATED, not an internal error.
    try:
        enrolment.Enroll(identity_pb2.EnrollRequest(bootstrap_token=args.token, csr_pem=csr_pem), timeout=10)
        print(json.dumps({"step": "reused", "code": "OK"}))
    except grpc.RpcError as err:
        print(json.dumps({"step": "reused", "code": err.code().name, "details": err.details()}))

    fleet = fleet_pb2_grpc.FleetServiceStub(channel)
    listed = fleet.ListGateways(
        fleet_pb2.ListGatewaysRequest(), timeout=10,
        metadata=(("authorization", "Bearer " + args.api_key),),
    )
    print(json.dumps({"step": "listed", "gateways": [
        {"gateway_id": g.gateway_id, "is_enrolled": g.is_enrolled, "stored_records": g.stored_records}
        for g in listed.gateways
    ]}))

    try:
        fleet.ListGateways(fleet_pb2.ListGatewaysRequest(), timeout=10)
        print(json.dumps({"step": "anonymous", "code": "OK"}))
    except grpc.RpcError as err:
        print(json.dumps({"step": "anonymous", "code": err.code().name, "details": err.details()}))
    key = (("authorization", "Bearer " + args.api_key),)
    telemetry = telemetry_pb2_grpc.TelemetryServiceStub(channel)
    raw = telemetry.Query(telemetry_pb2.QueryRequest(
        gateway_id=args.telemetry_gateway, signals=["voltage"], from_ms=args.from_ms, to_ms=args.to_ms,
    ), timeout=10, metadata=key)
    print(json.dumps({"step": "queried", "series": [
        {"device_id": s.device_id, "signal": s.signal, "unit": s.unit,
         "points": [[p.timestamp_ms, p.value, sync_pb2.Quality.Name(p.quality)]
                    for p in s.points]}
        for s in raw.series
    ]}))
    step = args.to_ms - args.from_ms
    downsampled = telemetry.Query(telemetry_pb2.QueryRequest(
        gateway_id=args.telemetry_gateway, signals=["voltage"], from_ms=args.from_ms, to_ms=args.to_ms, step_ms=step,
    ), timeout=10, metadata=key)
    print(json.dumps({"step": "downsampled", "buckets": [
        {"start_ms": b.start_ms, "min": b.min, "max": b.max, "mean": b.mean, "count": b.count, "last": b.last}
        for s in downsampled.series for b in s.buckets
    ]}))
    try:
        telemetry.Query(telemetry_pb2.QueryRequest(
            gateway_id=args.telemetry_gateway, from_ms=args.to_ms, to_ms=args.from_ms,
        ), timeout=10, metadata=key)
        print(json.dumps({"step": "bad-range", "code": "OK"}))
    except grpc.RpcError as err:
        print(json.dumps({"step": "bad-range", "code": err.code().name, "details": err.details()}))
    csv = b"".join(chunk.csv for chunk in telemetry.ExportBilling(telemetry_pb2.ExportBillingRequest(
        gateway_ids=[args.telemetry_gateway], from_ms=args.from_ms, to_ms=args.to_ms,
        format=telemetry_pb2.EXPORT_FORMAT_CSV,
    ), timeout=10, metadata=key))
    print(json.dumps({"step": "exported", "lines": csv.decode("utf-8").split("\r\n")}))
    channel.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
