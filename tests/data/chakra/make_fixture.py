#!/usr/bin/env python3
"""Writes the Chakra fixture of tests/chakra_test.cpp: a 4-rank job, one .et
file per rank (job.<rank>.et), each a GlobalMetadata then Nodes, every message
length-delimited (varint size, then the bytes) as Chakra's tools write them.
Messages are encoded by protoc from workloads/et_def.proto; run from anywhere:
    python3 tests/data/chakra/make_fixture.py

The job (times hand-computed in chakra_test.cpp):
  every rank: fwd (1e15 FLOP) -> all-gather in its tensor group (2e9 B) ->
              bwd (2e15 FLOP; rank 3: 2.5e15) -> all-reduce over all ranks
              (4e9 B, group "dp") -> optimizer (1e14 FLOP)
  tensor groups: tp0 = ranks 0,1 and tp1 = ranks 2,3;
  rank 1 sends 1e9 B to rank 2 (tag 5) after its fwd; rank 2 receives it first.
"""
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))


def encode(message_type, text):
    return subprocess.run(
        ["protoc", "--proto_path=" + os.path.join(ROOT, "workloads"), "--encode=gwsim.chakra." + message_type,
         "et_def.proto"], input=text.encode(), stdout=subprocess.PIPE, check=True).stdout


def varint(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        out.append(b | (0x80 if n else 0))
        if not n:
            return bytes(out)


def attr(name, kind, value):
    v = '"%s"' % value if kind == "string_val" else str(value).lower() if kind == "bool_val" else str(value)
    return 'attr { name: "%s" %s: %s }' % (name, kind, v)


def node(nid, name, ntype, deps=(), attrs=()):
    text = 'id: %d name: "%s" type: %s ' % (nid, name, ntype)
    text += " ".join("data_deps: %d" % d for d in deps) + " " + " ".join(attrs)
    return text


def comp(nid, name, flops, deps=()):
    return node(nid, name, "COMP_NODE", deps, [attr("num_ops", "int64_val", int(flops)), attr("is_cpu_op", "bool_val", False)])


def coll(nid, name, ctype, size, group, deps=()):
    return node(nid, name, "COMM_COLL_NODE", deps,
                [attr("comm_type", "int64_val", ctype), attr("comm_size", "int64_val", int(size)),
                 attr("pg_name", "string_val", group)])


ALL_REDUCE, ALL_GATHER = 0, 2


def rank_nodes(rank):
    nodes = []
    if rank == 2:
        nodes.append(node(9, "recv_from_1", "COMM_RECV_NODE", (),
                          [attr("comm_src", "int64_val", 1), attr("comm_dst", "int64_val", 2),
                           attr("comm_size", "int64_val", int(1e9)), attr("comm_tag", "int64_val", 5)]))
    nodes.append(comp(1, "fwd", 1e15))
    nodes.append(coll(2, "tp_all_gather", ALL_GATHER, 2e9, "tp0" if rank < 2 else "tp1", [1]))
    if rank == 1:
        nodes.append(node(7, "send_to_2", "COMM_SEND_NODE", [1],
                          [attr("comm_src", "int64_val", 1), attr("comm_dst", "int64_val", 2),
                           attr("comm_size", "int64_val", int(1e9)), attr("comm_tag", "int64_val", 5)]))
    bwd_deps = [2, 9] if rank == 2 else [2]
    nodes.append(comp(3, "bwd", 2.5e15 if rank == 3 else 2e15, bwd_deps))
    nodes.append(coll(4, "dp_all_reduce", ALL_REDUCE, 4e9, "dp", [3]))
    nodes.append(comp(5, "optimizer", 1e14, [4]))
    return nodes


def main():
    for rank in range(4):
        data = bytearray()
        meta = encode("GlobalMetadata", 'version: "0.0.4" attr { name: "rank" int64_val: %d }' % rank)
        data += varint(len(meta)) + meta
        for text in rank_nodes(rank):
            msg = encode("Node", text)
            data += varint(len(msg)) + msg
        with open(os.path.join(HERE, "job.%d.et" % rank), "wb") as f:
            f.write(data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
