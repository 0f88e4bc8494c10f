#!/usr/bin/python3
"""Writes a small ONNX model with CLAP's audio-tower contract, for tests of the download/verify/load/run path:
input `input_features` [batch, 1, 1001, 64] float32 -> output `audio_embeds` [batch, 512] float32
(mean over time, a fixed random 64x512 projection, L2-normalised). No weights of CLAP: the real model cannot be
downloaded on the machines the tests run on.
Usage: /usr/bin/python3 scripts/generate-test-clap-model.py OUT.onnx"""
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

rng = np.random.default_rng(20240601)
w = numpy_helper.from_array(rng.standard_normal((64, 512)).astype(np.float32), 'proj')
nodes = [
    helper.make_node('ReduceMean', ['input_features'], ['pooled'], axes=[1, 2], keepdims=0),  # [b, 64]
    helper.make_node('MatMul', ['pooled', 'proj'], ['raw']),
    helper.make_node('LpNormalization', ['raw'], ['audio_embeds'], axis=-1, p=2),
]
graph = helper.make_graph(
    nodes,
    'test-clap-contract',
    [helper.make_tensor_value_info('input_features', TensorProto.FLOAT, ['batch', 1, 1001, 64])],
    [helper.make_tensor_value_info('audio_embeds', TensorProto.FLOAT, ['batch', 512])],
    [w],
)
model = helper.make_model(graph, opset_imports=[helper.make_opsetid('', 17)], producer_name='audio-ident test')
model.ir_version = 8
onnx.checker.check_model(model)
with open(sys.argv[1], 'wb') as f:
    f.write(model.SerializeToString())
