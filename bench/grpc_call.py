#!/usr/bin/python3
"""gRPC helper for bench/run, driven by the .proto files alone (Debian's python3-grpcio and python3-grpc-tools).

  grpc_call.py compile PROTOS_DIR OUT_DIR
      generate the Python message modules of every .proto under PROTOS_DIR into OUT_DIR
  grpc_call.py frame OUT_DIR METHOD REQUEST_JSON FILE
      write the request (REQUEST_JSON in the proto's JSON form, '{}' for the default) as one gRPC length-prefixed
      message (1 byte compression flag 0, 4 bytes big-endian length, the protobuf bytes): the body h2load sends
  grpc_call.py call OUT_DIR METHOD REQUEST_JSON HOST:PORT TOKEN
      make the call once with a real gRPC client (h2c) and the token as `authorization: Bearer`; print the status and
      what the response holds; exit 1 unless the status is OK

METHOD is `package.Service/Method`, e.g. smartfactory.registry.v1.RegistryService/ListIndustries.
"""
import importlib
import os
import struct
import sys


def compile_protos(protos_dir, out_dir):
    import grpc_tools
    from grpc_tools import protoc

    well_known = os.path.join(os.path.dirname(grpc_tools.__file__), "_proto")
    files = sorted(
        os.path.relpath(os.path.join(d, f), protos_dir)
        for d, _, names in os.walk(protos_dir)
        for f in names
        if f.endswith(".proto")
    )
    os.makedirs(out_dir, exist_ok=True)
    code = protoc.main(["protoc", f"-I{protos_dir}", f"-I{well_known}", f"--python_out={out_dir}", *files])
    if code != 0:
        sys.exit(f"protoc failed ({code})")


def messages(out_dir, method):
    """The request and response classes of METHOD, found in the generated modules."""
    sys.path.insert(0, out_dir)
    from google.protobuf import descriptor_pool

    for d, _, names in os.walk(out_dir):
        for f in names:
            if f.endswith("_pb2.py"):
                importlib.import_module(os.path.relpath(os.path.join(d, f[:-3]), out_dir).replace(os.sep, "."))
    service_name, method_name = method.split("/")
    service = descriptor_pool.Default().FindServiceByName(service_name)
    descriptor = service.methods_by_name[method_name]

    def cls(message):
        module = importlib.import_module(message.file.name[: -len(".proto")].replace("/", ".") + "_pb2")
        return getattr(module, message.name)

    return cls(descriptor.input_type), cls(descriptor.output_type)


def request(cls, request_json):
    from google.protobuf import json_format

    return json_format.Parse(request_json, cls())


def frame(out_dir, method, request_json, path):
    request_cls, _ = messages(out_dir, method)
    payload = request(request_cls, request_json).SerializeToString()
    with open(path, "wb") as f:
        f.write(b"\x00" + struct.pack(">I", len(payload)) + payload)
    print(f"{path}: {5 + len(payload)} bytes ({len(payload)} bytes of protobuf)")


def call(out_dir, method, request_json, target, token):
    import grpc

    request_cls, response_cls = messages(out_dir, method)
    with grpc.insecure_channel(target) as channel:
        stub = channel.unary_unary(
            "/" + method, request_serializer=lambda m: m.SerializeToString(), response_deserializer=response_cls.FromString
        )
        try:
            response, rpc = stub.with_call(
                request(request_cls, request_json), metadata=[("authorization", f"Bearer {token}")], timeout=10
            )
        except grpc.RpcError as e:
            print(f"{target} {method}: grpc-status {e.code().value[0]} {e.code().name}: {e.details()}")
            sys.exit(1)
    fields = ", ".join(
        f"{len(value)} {field.name}" if field.label == field.LABEL_REPEATED else field.name
        for field, value in response.ListFields()
    )
    print(f"{target} {method}: grpc-status {rpc.code().value[0]} {rpc.code().name}, "
          f"{response.ByteSize()} bytes ({fields or 'empty'})")
    if rpc.code() != grpc.StatusCode.OK:
        sys.exit(1)


if __name__ == "__main__":
    command, rest = (sys.argv[1], sys.argv[2:]) if len(sys.argv) > 1 else ("", [])
    if command == "compile" and len(rest) == 2:
        compile_protos(*rest)
    elif command == "frame" and len(rest) == 4:
        frame(*rest)
    elif command == "call" and len(rest) == 5:
        call(*rest)
    else:
        sys.exit(__doc__)
