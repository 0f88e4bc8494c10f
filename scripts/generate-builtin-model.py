#!/usr/bin/python3
"""Writes the vibe lane's built-in embedder: resources/models/builtin-descriptors-v1.onnx + its manifest JSON.

No learned weights: the graph is hand-built DSP (after bliss-rs' descriptors and Musly's timbre statistics).
One 10 s window of 8 kHz mono PCM in, one descriptor vector out:

  STFT (1024, hop 512, Hann) -> power -> 40 mel bands (60-3800 Hz) -> log
    timbre : MFCC 1..19 (DCT-II of the log mel), mean and std over frames
    harmony: pitch-class co-occurrence: per frame the 3 strongest of 12 chroma bins (100-1000 Hz, where the
             fundamentals are), as 0/1, and the mean over frames of their 12x12 outer product (upper triangle: 78)
             -- which notes sound together, whatever the instrument, and robust to additive noise
    rhythm : spectral-flux onset envelope -> periodicity at 20 log-spaced rates 0.5-6 Hz (30-360 per minute)
    shape  : loudness mean/std (dB), spectral centroid mean/std (log2 Hz), flatness, onset strength mean/std
  each dimension standardised ((x - mean) / std, statistics from scripts/builtin-model-stats.json when present,
  measured by bench/calibrateBuiltin.ts on held-out music), clipped to +-4, and each group weighted so that its share of the squared norm is its weight.

The engine pools window vectors (mean) and L2-normalises; cosine similarity compares tracks.
Deterministic: the same script and stats file give byte-identical output.
Usage: /usr/bin/python3 scripts/generate-builtin-model.py [--out DIR] [--raw] [--stats FILE]
  --raw: skip standardisation and weighting (what the calibration script measures).
Needs Debian's python3-onnx and python3-numpy.
"""
import argparse
import hashlib
import json
import math
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

MODEL_ID = 'builtin-descriptors-v2'
SAMPLE_RATE_HZ = 8000
WINDOW_SECONDS = 10
WINDOW_SAMPLES = SAMPLE_RATE_HZ * WINDOW_SECONDS
N_FFT = 1024
HOP = 512  # 64 ms frames: half the cost of 32 ms, same statistics
N_BINS = N_FFT // 2 + 1
N_FRAMES = (WINDOW_SAMPLES - N_FFT) // HOP + 1
N_MELS = 40
N_MFCC = 19  # coefficients 1..19 (c0 is loudness, kept in the shape group instead)
N_RHYTHM = 20
EPS = 1e-10
CLIP_Z = 4.0  # standardised values are clipped to +-CLIP_Z

# Groups in output order: (name, dims, weight = share of the squared norm). Harmony and rhythm carry "the same music"
# across soundfonts and tempi; timbre and shape carry style.
GROUPS = [
    ('timbre', 2 * N_MFCC, 0.35),
    ('harmony', 78, 0.25),
    ('rhythm', N_RHYTHM, 0.2),
    ('shape', 7, 0.2),
]
SHAPE_NAMES = ['loudnessMeanDb', 'loudnessStdDb', 'centroidMeanLog2Hz', 'centroidStdLog2Hz', 'flatnessDb', 'onsetMean', 'onsetStd']
DIM = sum(g[1] for g in GROUPS)


def hz_to_mel(f):
    # Slaney: linear below 1 kHz, logarithmic above.
    f = np.asarray(f, dtype=np.float64)
    lin = f / (200.0 / 3)
    log = 15.0 + np.log(np.maximum(f, 1e-9) / 1000.0) / (np.log(6.4) / 27.0)
    return np.where(f >= 1000.0, log, lin)


def mel_to_hz(m):
    m = np.asarray(m, dtype=np.float64)
    lin = m * (200.0 / 3)
    log = 1000.0 * np.exp((m - 15.0) * (np.log(6.4) / 27.0))
    return np.where(m >= 15.0, log, lin)


def mel_matrix(n_mels, fmin, fmax):
    freqs = np.arange(N_BINS) * SAMPLE_RATE_HZ / N_FFT
    pts = mel_to_hz(np.linspace(hz_to_mel(fmin), hz_to_mel(fmax), n_mels + 2))
    w = np.zeros((N_BINS, n_mels))
    for m in range(n_mels):
        lo, c, hi = pts[m], pts[m + 1], pts[m + 2]
        up = (freqs - lo) / (c - lo)
        down = (hi - freqs) / (hi - c)
        w[:, m] = np.maximum(0, np.minimum(up, down)) * (2.0 / (hi - lo))  # Slaney area normalisation
    return w


def dct_matrix(n_in, coeffs):
    n = np.arange(n_in)
    cols = [np.sqrt(2.0 / n_in) * np.cos(np.pi / n_in * (n + 0.5) * k) for k in coeffs]
    return np.stack(cols, axis=1)


def chroma_matrix(fmin, fmax):
    freqs = np.arange(N_BINS) * SAMPLE_RATE_HZ / N_FFT
    w = np.zeros((N_BINS, 12))
    for k, f in enumerate(freqs):
        if f < fmin or f > fmax:
            continue
        midi = 69 + 12 * math.log2(f / 440.0)
        for pc in range(12):
            d = (midi - pc) % 12
            d = min(d, 12 - d)
            w[k, pc] = math.exp(-0.5 * (d / 0.5) ** 2)
    return w


def rhythm_matrices():
    frame_rate = SAMPLE_RATE_HZ / HOP
    n = N_FRAMES - 1
    t = np.arange(n) / frame_rate
    window = 0.5 - 0.5 * np.cos(2 * np.pi * (np.arange(n) + 0.5) / n)
    rates = np.geomspace(0.5, 6.0, N_RHYTHM)  # below the 7.8 Hz Nyquist of the 15.6 Hz onset envelope
    cos = np.stack([window * np.cos(2 * np.pi * r * t) for r in rates], axis=1)
    sin = np.stack([window * np.sin(2 * np.pi * r * t) for r in rates], axis=1)
    return cos, sin, rates


def const(name, array, dtype=np.float32):
    return numpy_helper.from_array(np.asarray(array, dtype=dtype), name)


def build(stats, raw):
    nodes, inits = [], []

    def node(op, inputs, output, **attrs):
        nodes.append(helper.make_node(op, inputs, [output], name=output, **attrs))
        return output

    def c(name, value, dtype=np.float32):
        inits.append(const(name, value, dtype))
        return name

    def axes(name, values):
        return c(name, values, np.int64)

    # waveform [N, WINDOW_SAMPLES] -> [N, WINDOW_SAMPLES, 1]
    node('Unsqueeze', ['waveform', axes('ax_last', [2])], 'signal')
    hann = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(N_FFT) / N_FFT)  # periodic Hann
    node('STFT', ['signal', c('frame_step', np.array(HOP), np.int64), c('window', hann), c('frame_length', np.array(N_FFT), np.int64)], 'stft', onesided=1)
    node('Mul', ['stft', 'stft'], 'stft_sq')
    node('ReduceSum', ['stft_sq', axes('ax_m1', [-1])], 'power', keepdims=0)  # [N, T, BINS]

    # log mel and MFCC
    node('MatMul', ['power', c('mel_w', mel_matrix(N_MELS, 60, 3800))], 'mel')
    node('Add', ['mel', c('eps', np.array(EPS))], 'mel_eps')
    node('Log', ['mel_eps'], 'logmel')  # natural log
    node('MatMul', ['logmel', c('dct_w', dct_matrix(N_MELS, range(1, N_MFCC + 1)))], 'mfcc')  # [N, T, 19]
    ax1 = axes('ax_1', [1])
    node('ReduceMean', ['mfcc'], 'mfcc_mean', axes=[1], keepdims=0)
    node('Mul', ['mfcc', 'mfcc'], 'mfcc_sq')
    node('ReduceMean', ['mfcc_sq'], 'mfcc_sq_mean', axes=[1], keepdims=0)
    node('Mul', ['mfcc_mean', 'mfcc_mean'], 'mfcc_mean_sq')
    node('Sub', ['mfcc_sq_mean', 'mfcc_mean_sq'], 'mfcc_var0')
    node('Relu', ['mfcc_var0'], 'mfcc_var')
    node('Add', ['mfcc_var', 'eps'], 'mfcc_var_eps')
    node('Sqrt', ['mfcc_var_eps'], 'mfcc_std')

    # harmony: per frame the 3 strongest pitch classes (0/1; silent frames none), then how often each pair sounds together
    node('MatMul', ['power', c('chroma_w', chroma_matrix(100, 1000))], 'chroma_e')  # [N, T, 12]
    node('Sqrt', ['chroma_e'], 'chroma_amp')
    nodes.append(helper.make_node('TopK', ['chroma_amp', c('top_k', np.array([3]), np.int64)], ['top3_vals', 'top3_idx'], name='top3', axis=-1))
    node('ReduceMin', ['top3_vals'], 'top3_thr', axes=[-1], keepdims=1)  # the 3rd strongest
    node('GreaterOrEqual', ['chroma_amp', 'top3_thr'], 'top3_ge')
    node('Cast', ['top3_ge'], 'top3_f', to=TensorProto.FLOAT)
    node('ReduceSum', ['chroma_amp', 'ax_m1'], 'chroma_sum', keepdims=1)
    node('Greater', ['chroma_sum', c('voiced_min', np.array(1e-4))], 'voiced')
    node('Cast', ['voiced'], 'voiced_f', to=TensorProto.FLOAT)
    node('Mul', ['top3_f', 'voiced_f'], 'pcs')  # [N, T, 12]
    node('Unsqueeze', ['pcs', axes('ax_3', [3])], 'pcs_col')  # [N, T, 12, 1]
    node('Unsqueeze', ['pcs', axes('ax_2', [2])], 'pcs_row')  # [N, T, 1, 12]
    node('Mul', ['pcs_col', 'pcs_row'], 'pcs_outer')  # [N, T, 12, 12]
    node('ReduceMean', ['pcs_outer'], 'pcs_co', axes=[1], keepdims=0)  # [N, 12, 12]
    node('Reshape', ['pcs_co', c('shape_flat', np.array([-1, 144]), np.int64)], 'pcs_flat')
    upper = np.array([i * 12 + j for i in range(12) for j in range(i, 12)])
    node('Gather', ['pcs_flat', c('upper_idx', upper, np.int64)], 'harmony', axis=1)  # [N, 78]
    c('eps_small', np.array(1e-6))  # used by the rhythm normalisation below

    # onset envelope: half-wave rectified log-mel flux, mean over bands
    node('Slice', ['logmel', axes('s1', [1]), axes('s_end', [N_FRAMES]), ax1], 'logmel_next')
    node('Slice', ['logmel', axes('s0', [0]), axes('s_end1', [N_FRAMES - 1]), ax1], 'logmel_prev')
    node('Sub', ['logmel_next', 'logmel_prev'], 'flux_d')
    node('Relu', ['flux_d'], 'flux_r')
    node('ReduceMean', ['flux_r'], 'onset', axes=[-1], keepdims=0)  # [N, T-1]
    node('ReduceMean', ['onset'], 'onset_mean', axes=[1], keepdims=1)  # [N, 1]
    node('Sub', ['onset', 'onset_mean'], 'onset_c')
    node('Mul', ['onset_c', 'onset_c'], 'onset_sq')
    node('ReduceMean', ['onset_sq'], 'onset_var', axes=[1], keepdims=1)
    node('Add', ['onset_var', 'eps'], 'onset_var_eps')
    node('Sqrt', ['onset_var_eps'], 'onset_std')
    # rhythm: periodicity of the onset envelope, as a distribution over rates
    cos, sin, _ = rhythm_matrices()
    node('MatMul', ['onset_c', c('rh_cos', cos)], 'rh_c')
    node('MatMul', ['onset_c', c('rh_sin', sin)], 'rh_s')
    node('Mul', ['rh_c', 'rh_c'], 'rh_c2')
    node('Mul', ['rh_s', 'rh_s'], 'rh_s2')
    node('Add', ['rh_c2', 'rh_s2'], 'rh_p')
    node('Add', ['rh_p', 'eps'], 'rh_p_eps')
    node('Sqrt', ['rh_p_eps'], 'rh_mag')
    node('ReduceSum', ['rh_mag', 'ax_m1'], 'rh_sum', keepdims=1)
    node('Add', ['rh_sum', 'eps_small'], 'rh_sum_eps')
    node('Div', ['rh_mag', 'rh_sum_eps'], 'rhythm')  # [N, 20]

    # shape: loudness, centroid, flatness
    node('ReduceMean', ['power'], 'frame_pow', axes=[-1], keepdims=0)  # [N, T]
    node('Add', ['frame_pow', 'eps'], 'frame_pow_eps')
    node('Log', ['frame_pow_eps'], 'frame_lnpow')
    db = c('ln_to_db', np.array(10 / math.log(10)))
    node('Mul', ['frame_lnpow', db], 'frame_db')
    node('ReduceMean', ['frame_db'], 'loud_mean', axes=[1], keepdims=1)
    node('Sub', ['frame_db', 'loud_mean'], 'loud_c')
    node('Mul', ['loud_c', 'loud_c'], 'loud_sq')
    node('ReduceMean', ['loud_sq'], 'loud_var', axes=[1], keepdims=1)
    node('Add', ['loud_var', 'eps'], 'loud_var_eps')
    node('Sqrt', ['loud_var_eps'], 'loud_std')
    freqs = np.arange(N_BINS) * SAMPLE_RATE_HZ / N_FFT
    node('MatMul', ['power', c('freqs', freqs.reshape(N_BINS, 1))], 'pow_f')  # [N, T, 1]
    node('ReduceSum', ['power', 'ax_m1'], 'pow_sum', keepdims=1)
    node('Add', ['pow_sum', 'eps'], 'pow_sum_eps')
    node('Div', ['pow_f', 'pow_sum_eps'], 'centroid_hz')
    node('Add', ['centroid_hz', c('one', np.array(1.0))], 'centroid_hz1')
    node('Log', ['centroid_hz1'], 'centroid_ln')
    node('Mul', ['centroid_ln', c('ln_to_log2', np.array(1 / math.log(2)))], 'centroid_log2')
    node('Squeeze', ['centroid_log2', 'ax_last'], 'centroid_t')  # [N, T]
    node('ReduceMean', ['centroid_t'], 'cent_mean', axes=[1], keepdims=1)
    node('Sub', ['centroid_t', 'cent_mean'], 'cent_c')
    node('Mul', ['cent_c', 'cent_c'], 'cent_sq')
    node('ReduceMean', ['cent_sq'], 'cent_var', axes=[1], keepdims=1)
    node('Add', ['cent_var', 'eps'], 'cent_var_eps')
    node('Sqrt', ['cent_var_eps'], 'cent_std')
    node('Add', ['power', 'eps'], 'power_eps')
    node('Log', ['power_eps'], 'ln_power')
    node('ReduceMean', ['ln_power'], 'geo_ln', axes=[-1], keepdims=0)  # [N, T]
    node('Sub', ['geo_ln', 'frame_lnpow'], 'flat_ln')
    node('Mul', ['flat_ln', db], 'flat_db')
    node('ReduceMean', ['flat_db'], 'flatness', axes=[1], keepdims=1)
    node('Concat', ['loud_mean', 'loud_std', 'cent_mean', 'cent_std', 'flatness', 'onset_mean', 'onset_std'], 'shape', axis=1)

    node('Concat', ['mfcc_mean', 'mfcc_std', 'harmony', 'rhythm', 'shape'], 'features_raw', axis=1)  # [N, DIM]
    if raw:
        node('Identity', ['features_raw'], 'embedding')
    else:
        mean = np.asarray(stats['mean'], dtype=np.float64)
        std = np.maximum(np.asarray(stats['std'], dtype=np.float64), 1e-6)
        weight = np.concatenate([np.full(d, math.sqrt(w / d)) for _, d, w in GROUPS])
        node('Sub', ['features_raw', c('feat_mean', mean)], 'features_c')
        node('Mul', ['features_c', c('feat_inv_std', 1.0 / std)], 'features_z')
        # Outliers (a pure tone's -100 dB flatness) must not swamp the other dimensions.
        node('Clip', ['features_z', c('z_min', np.array(-CLIP_Z)), c('z_max', np.array(CLIP_Z))], 'features_zc')
        node('Mul', ['features_zc', c('feat_weight', weight)], 'embedding')

    graph = helper.make_graph(
        nodes,
        MODEL_ID,
        [helper.make_tensor_value_info('waveform', TensorProto.FLOAT, ['batch', WINDOW_SAMPLES])],
        [helper.make_tensor_value_info('embedding', TensorProto.FLOAT, ['batch', DIM])],
        inits,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid('', 17)], producer_name='audio-ident generate-builtin-model.py')
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


def manifest(model_file, sha256, size, stats_source):
    offset, layout = 0, []
    for name, dims, weight in GROUPS:
        layout.append({'name': name, 'offset': offset, 'length': dims, 'weight': weight})
        offset += dims
    return {
        'id': MODEL_ID,
        'version': 1,
        'kind': 'builtin',
        'description': 'Hand-built DSP descriptors (timbre MFCC statistics, pitch-class co-occurrence, onset periodicity, loudness and spectral shape), standardised and weighted.',
        'license': 'MIT (generated by this repository, no learned weights)',
        'file': model_file,
        'sha256': sha256,
        'sizeBytes': size,
        'sampleRateHz': SAMPLE_RATE_HZ,
        'windowSeconds': WINDOW_SECONDS,
        'windowSamples': WINDOW_SAMPLES,
        'hopSamples': WINDOW_SAMPLES // 2,
        'input': {'name': 'waveform', 'shape': ['batch', WINDOW_SAMPLES], 'type': 'float32'},
        'output': {'name': 'embedding', 'shape': ['batch', DIM], 'type': 'float32'},
        'dim': DIM,
        'preprocessing': 'mono PCM in [-1, 1] at 8 kHz, 10 s windows (repeat-padded when shorter); inside the graph: STFT 1024/512 Hann, 40 Slaney mel 60-3800 Hz',
        'pooling': 'mean of window vectors, then L2',
        'groups': layout,
        'shapeFeatures': SHAPE_NAMES,
        'standardisation': stats_source,
    }


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser()
    ap.add_argument('--out', default=os.path.join(here, '..', 'resources', 'models'))
    ap.add_argument('--raw', action='store_true')
    ap.add_argument('--stats', default=os.path.join(here, 'builtin-model-stats.json'))
    args = ap.parse_args()
    stats, stats_source = None, 'none (raw features)'
    if not args.raw:
        if os.path.exists(args.stats):
            with open(args.stats) as f:
                stats = json.load(f)
            assert len(stats['mean']) == DIM and len(stats['std']) == DIM, 'stats file does not match this graph'
            stats_source = stats.get('source', os.path.basename(args.stats))
        else:
            stats, stats_source = {'mean': [0.0] * DIM, 'std': [1.0] * DIM}, 'identity (no stats file)'
    model = build(stats, args.raw)
    os.makedirs(args.out, exist_ok=True)
    name = MODEL_ID + ('-raw' if args.raw else '')
    data = model.SerializeToString()
    onnx_path = os.path.join(args.out, name + '.onnx')
    with open(onnx_path, 'wb') as f:
        f.write(data)
    man = manifest(name + '.onnx', hashlib.sha256(data).hexdigest(), len(data), stats_source)
    with open(os.path.join(args.out, name + '.json'), 'w') as f:
        json.dump(man, f, indent=2)
        f.write('\n')
    print(f'wrote {onnx_path} ({len(data)} bytes, dim {DIM})')


if __name__ == '__main__':
    main()
