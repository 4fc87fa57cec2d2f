"""grpcio server for the interop tests: prints "PORT <n>" when ready, stops when stdin closes."""
import sys
import threading
from concurrent import futures

import grpc

import interop_pb2 as pb
import interop_pb2_grpc as pb_grpc
import rpc_status_pb2

FAIL_MESSAGE = "名称不能为空 100% wrong"


class Interop(pb_grpc.InteropServicer):
    def __init__(self):
        self.lock = threading.Lock()
        self.attempts = {}

    def Echo(self, request, context):
        payload = bytes(request.reply_padding) if request.reply_padding > 0 else request.payload
        return pb.EchoReply(text=request.text, payload=payload)

    def Fail(self, request, context):
        bad_request = rpc_status_pb2.BadRequest(field_violations=[
            rpc_status_pb2.BadRequest.FieldViolation(field="name", description="must not be empty"),
            rpc_status_pb2.BadRequest.FieldViolation(field="quantity", description="must be positive")])
        status = rpc_status_pb2.Status(code=grpc.StatusCode.INVALID_ARGUMENT.value[0], message=FAIL_MESSAGE, details=[
            rpc_status_pb2.Any(type_url="type.googleapis.com/google.rpc.BadRequest", value=bad_request.SerializeToString())])
        context.set_trailing_metadata((("grpc-status-details-bin", status.SerializeToString()),))
        context.abort(grpc.StatusCode.INVALID_ARGUMENT, FAIL_MESSAGE)

    def Sleep(self, request, context):
        done = threading.Event()
        context.add_callback(done.set)  # fires when the call ends, e.g. cancelled or past its deadline
        done.wait(request.ms / 1000)
        return pb.SleepReply()

    def Count(self, request, context):
        for i in range(request.n):
            yield pb.CountReply(value=i)

    def _flaky(self, request, context):
        with self.lock:
            attempt = self.attempts.get(request.key, 0) + 1
            self.attempts[request.key] = attempt
        if attempt <= request.fail_times:
            context.abort(grpc.StatusCode.UNAVAILABLE, f"attempt {attempt}")
        return pb.FlakyReply(attempts=attempt)

    Flaky = _flaky
    Mutate = _flaky

    def EchoMetadata(self, request, context):
        entries = []
        for key, value in context.invocation_metadata():
            if isinstance(value, bytes):
                entries.append(pb.MetadataEntry(key=key, binary=value))
            else:
                entries.append(pb.MetadataEntry(key=key, value=value))
        return pb.MetadataReply(entries=entries)


def main():
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=200))
    pb_grpc.add_InteropServicer_to_server(Interop(), server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    print(f"PORT {port}", flush=True)
    sys.stdin.read()
    server.stop(0)


if __name__ == "__main__":
    main()
