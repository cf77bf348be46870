"""Writes the safetensors reference files the tests compare tensorgrad's bytes against.

python3-safetensors is not packaged for this Debian, so this script lays files out exactly as the
reference writer (huggingface/safetensors, safetensors/src/tensor.rs `prepare`/`serialize`) does:
  - tensors sorted by dtype, largest alignment first (the Rust enum order below), then by name
    (byte order), data packed back to back in that order;
  - header = serde_json compact JSON: "__metadata__" first (keys sorted here: the reference's
    HashMap order is unspecified), then each tensor as {"dtype","shape","data_offsets"} in data order;
  - header padded with spaces to a multiple of 8; u64 little-endian header length first.
The tensors come from PyTorch 1.13 (run with /usr/bin/python3): a seeded nn.Sequential's
state_dict() with PyTorch's own key names, and a mixed-dtype set with 0-d and empty tensors.
Run: /usr/bin/python3 test/io/gen-reference.py   (writes test/io/fixtures/*.safetensors and *.json)
"""
import json
import os
import struct

import torch

OUT = os.path.join(os.path.dirname(__file__), "fixtures")
# safetensors' Dtype enum, ascending alignment order.
ORDER = ["BOOL", "U8", "I8", "F8_E5M2", "F8_E4M3", "I16", "U16", "F16", "BF16", "I32", "U32", "F32", "F64", "I64", "U64"]
NAMES = {torch.float32: "F32", torch.float64: "F64", torch.int32: "I32", torch.int64: "I64"}


def serialize(tensors, metadata=None):
    items = sorted(tensors.items(), key=lambda kv: (-ORDER.index(NAMES[kv[1].dtype]), kv[0].encode()))
    header, blobs, offset = {}, [], 0
    if metadata is not None:
        header["__metadata__"] = {k: metadata[k] for k in sorted(metadata, key=str.encode)}
    for name, t in items:
        data = t.contiguous().numpy().tobytes()  # little-endian on x86
        header[name] = {"dtype": NAMES[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
        blobs.append(data)
    text = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    return struct.pack("<Q", len(text)) + text + b"".join(blobs)


def write(name, tensors, metadata=None):
    with open(os.path.join(OUT, name + ".safetensors"), "wb") as f:
        f.write(serialize(tensors, metadata))
    # JSON has no infinities: those go as strings ("inf"), which the test reads with Number().
    flat = lambda v: [x if abs(x) != float("inf") else ("Infinity" if x > 0 else "-Infinity") for x in v.flatten().tolist()]
    values = {k: {"dtype": str(v.dtype).replace("torch.", ""), "shape": list(v.shape), "data": flat(v)} for k, v in tensors.items()}
    with open(os.path.join(OUT, name + ".json"), "w") as f:
        json.dump({"metadata": metadata, "tensors": values}, f, indent=1)


torch.manual_seed(0)
model = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.ReLU(), torch.nn.Linear(4, 2))
write("torch-mlp", {k: v.detach() for k, v in model.state_dict().items()})
write("mixed", {
    "b.f64": torch.tensor([[1.5, -2.25], [1e-300, float("inf")]], dtype=torch.float64),
    "a.f32": torch.arange(6, dtype=torch.float32).reshape(1, 2, 3) / 8,
    "ints": torch.tensor([-(2**31), 2**31 - 1, 0, 7], dtype=torch.int32),
    "scalar": torch.tensor(3.25),
    "empty": torch.zeros(0, 3),
    "é名": torch.tensor([1.0]),
}, {"format": "pt", "note": "made by gen-reference.py"})
# PyTorch's integer default (BatchNorm's num_batches_tracked is one): tensorgrad reads it as int32.
write("int64", {"num_batches_tracked": torch.tensor(12345), "idx": torch.tensor([-(2**31), 2**31 - 1], dtype=torch.int64)})
