"""grpcio client for the interop tests: `client.py <port> <case> [arg]` prints one JSON object with the outcome."""
import base64
import json
import os
import sys
import time

import grpc

import interop_pb2 as pb
import interop_pb2_grpc as pb_grpc
import rpc_status_pb2

BAD_REQUEST_URL = "type.googleapis.com/google.rpc.BadRequest"


def failure(error):
    return {"code": error.code().name, "message": error.details()}


def decode_details(error):
    """google.rpc.Status from the grpc-status-details-bin trailer, with its BadRequest field violations."""
    raw = dict(error.trailing_metadata() or ()).get("grpc-status-details-bin")
    if raw is None:
        return None
    status = rpc_status_pb2.Status.FromString(raw)
    violations = []
    for detail in status.details:
        if detail.type_url == BAD_REQUEST_URL:
            violations += [[v.field, v.description] for v in rpc_status_pb2.BadRequest.FromString(detail.value).field_violations]
    return {"code": status.code, "message": status.message, "type_urls": [d.type_url for d in status.details], "violations": violations}


def run(channel, case, arg):
    stub = pb_grpc.InteropStub(channel)
    if case == "echo":
        reply = stub.Echo(pb.EchoRequest(text=arg))
        return {"code": "OK", "text": reply.text}
    if case == "stream":
        values = [r.value for r in stub.Count(pb.CountRequest(n=int(arg)))]
        return {"code": "OK", "count": len(values), "in_order": values == list(range(int(arg)))}
    if case == "fail":
        try:
            stub.Fail(pb.FailRequest(mode="invalid"))
            return {"code": "OK"}
        except grpc.RpcError as error:
            return {**failure(error), "details": decode_details(error)}
    if case == "deadline":
        started = time.monotonic()
        try:
            stub.Sleep(pb.SleepRequest(ms=5000, key=arg), timeout=0.3)
            return {"code": "OK"}
        except grpc.RpcError as error:
            return {**failure(error), "elapsed": time.monotonic() - started}
    if case in ("large", "too_large"):
        payload = os.urandom(int(arg))
        try:
            reply = stub.Echo(pb.EchoRequest(payload=payload))
            return {"code": "OK", "size": len(reply.payload), "same": reply.payload == payload}
        except grpc.RpcError as error:
            return failure(error)
    if case == "concurrent":
        calls = [stub.Echo.future(pb.EchoRequest(text=str(i))) for i in range(int(arg))]
        texts = [call.result().text for call in calls]
        return {"code": "OK", "matching": sum(1 for i, t in enumerate(texts) if t == str(i))}
    if case == "unimplemented":
        try:
            pb_grpc.UnimplementedStub(channel).Nothing(pb.EchoRequest())
            return {"code": "OK"}
        except grpc.RpcError as error:
            return failure(error)
    if case == "metadata":
        reply, call = stub.EchoMetadata.with_call(pb.MetadataRequest(), metadata=[
            ("x-trace-id", "abc-123"), ("x-blob-bin", bytes([0, 1, 2, 254, 255]))])
        return {"code": "OK", "entries": [
            {"key": e.key, "value": e.value, "binary": base64.b64encode(e.binary).decode()} for e in reply.entries],
            "trailers": [[k, v if isinstance(v, str) else base64.b64encode(v).decode()] for k, v in call.trailing_metadata()]}
    raise SystemExit(f"unknown case {case}")


def main():
    port, case = sys.argv[1], sys.argv[2]
    arg = sys.argv[3] if len(sys.argv) > 3 else ""
    with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
        print(json.dumps(run(channel, case, arg)))


if __name__ == "__main__":
    main()
