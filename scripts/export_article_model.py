#!/usr/bin/env python3
"""Export the article's PyTorch DiffusionLM to an Unmask model package (Contract 1).

Writes, into --out:
  model.onnx      the network, exported with torch.onnx.export (inputs x_t int64 [B, L] and
                  t float32 [B, 1], output logits float32 [B, L, V])
  manifest.json   the package manifest that lets Unmask open it as it is
  reference.json  logits PyTorch computed for a fixed input, so a test can check that
                  onnxruntime-web computes the same thing

The class is the article's own (seed/diffusion-llms-article.md, "A Toy Diffusion Language
Model"); its module-level constants become command-line options so a small test fixture can be
exported. The weights are seeded random (the point is the interface, not the quality): load a
trained state_dict with --weights to export a trained model instead.

Example (the fixture under e2e/fixtures/article-diffusionlm/):
  python3 scripts/export_article_model.py --out e2e/fixtures/article-diffusionlm \
      --vocab-size 32 --seq-len 16 --d-model 32 --n-heads 4 --n-layers 2 --ffn 64 --seed 0
and the article's own vocabulary, [MASK] and no [PAD] or [EOS] (e2e/fixtures/article-mask-only/):
  python3 scripts/export_article_model.py --out e2e/fixtures/article-mask-only --special mask \
      --id article-mask-only --title "The article's DiffusionLM, [MASK] only (PyTorch export)" \
      --vocab-size 32 --seq-len 16 --d-model 32 --n-heads 4 --n-layers 2 --ffn 64 --seed 1
"""

import argparse
import json
import os
import shutil
import subprocess
import sys

import torch
import torch.nn as nn

# The special tokens a package may name, in id order: [MASK] is token 0 (the article's
# MASK_TOKEN = 0). The article's own vocabulary has only [MASK] (--special mask); [PAD] and [EOS]
# (the default, --special mask,pad,eos) follow it when a model writes shorter texts.
SPECIAL_NAMES = {'mask': '[MASK]', 'pad': '[PAD]', 'eos': '[EOS]'}
# Standard deviation of the seeded noise added to PyTorch's initial weights (see main).
PERTURBATION = 0.1
# The longest window Unmask accepts (MAX_SEQ_LEN in src/model/manifest.ts).
MAX_SEQ_LEN = 4096
# The default words after the special tokens: the first --vocab-size minus their count.
DEFAULT_WORDS = [
    'the', 'a', 'cat', 'dog', 'bird', 'fish', 'sun', 'moon', 'tree', 'house',
    'sees', 'likes', 'finds', 'runs', 'sleeps', 'sings', 'big', 'small', 'red', 'blue',
    'happy', 'old', 'new', 'and', 'on', 'in', 'under', 'near', 'today', 'sat', 'mat',
]  # fmt: skip


def parse_args(argv):
    p = argparse.ArgumentParser(
        description="Export the article's DiffusionLM to model.onnx, manifest.json and "
        'reference.json (an Unmask model package).'
    )
    p.add_argument('--out', required=True, help='folder to write the package into')
    # The article's constants, with its values as defaults.
    p.add_argument('--vocab-size', type=int, default=32, help='VOCAB_SIZE (article: 32)')
    p.add_argument('--seq-len', type=int, default=16, help='SEQ_LEN (article: 16)')
    p.add_argument('--d-model', type=int, default=128, help='D_MODEL (article: 128)')
    p.add_argument('--n-heads', type=int, default=4, help='N_HEADS (article: 4)')
    p.add_argument('--n-layers', type=int, default=4, help='N_LAYERS (article: 4)')
    p.add_argument(
        '--ffn',
        type=int,
        default=2048,
        help="dim_feedforward of each encoder layer (the article leaves PyTorch's default, 2048)",
    )
    p.add_argument('--seed', type=int, default=0, help='seed of the random weights')
    p.add_argument(
        '--special',
        default='mask,pad,eos',
        help="the special tokens, in id order from 0: 'mask' (the article's vocabulary: "
        "[MASK] only, no [PAD] or [EOS]) or 'mask,pad,eos' (default)",
    )
    p.add_argument(
        '--words',
        help='text file with the vocabulary after the special tokens, one token a line '
        '(default: the first of 31 built-in words, as many as --vocab-size leaves)',
    )
    p.add_argument('--weights', help='a state_dict (.pt) to load instead of random weights')
    p.add_argument('--id', default='article-diffusionlm', help='manifest id')
    p.add_argument('--title', default="The article's DiffusionLM (PyTorch export)")
    p.add_argument('--opset', type=int, default=17, help='ONNX opset (at least 14)')
    args = p.parse_args(argv)

    def fail(message):
        p.error(message)

    for name in ('vocab_size', 'seq_len', 'd_model', 'n_heads', 'n_layers', 'ffn'):
        if getattr(args, name) < 1:
            fail(f'--{name.replace("_", "-")} must be a positive integer')
    if args.d_model % args.n_heads != 0:
        fail(f'--d-model ({args.d_model}) must be divisible by --n-heads ({args.n_heads})')
    if args.seq_len > MAX_SEQ_LEN:
        fail(f'--seq-len must be at most {MAX_SEQ_LEN}, the longest window the page runs')
    if args.opset < 14:
        fail('--opset must be at least 14 (Trilu, and the attention ops the exporter emits)')
    if args.special not in ('mask', 'mask,pad,eos'):
        fail(f"--special must be 'mask' or 'mask,pad,eos', got '{args.special}'")
    args.special = args.special.split(',')
    return args


def read_vocabulary(args):
    specials = [SPECIAL_NAMES[name] for name in args.special]
    if args.words:
        with open(args.words, encoding='utf-8') as f:
            words = [line.strip() for line in f if line.strip()]
    else:
        words = DEFAULT_WORDS[: max(0, args.vocab_size - len(specials))]
    if not words:
        sys.exit(f'error: {args.words} lists no tokens')
    vocab = specials + words
    if len(vocab) != args.vocab_size:
        sys.exit(
            f'error: --vocab-size is {args.vocab_size}, but {", ".join(specials)} and the '
            f'{len(words)} words make {len(vocab)} tokens; make them agree'
        )
    if len(set(vocab)) != len(vocab):
        sys.exit('error: the vocabulary repeats a token')
    return vocab


def make_model_class(VOCAB_SIZE, D_MODEL, N_HEADS, N_LAYERS, FFN):
    """The article's class, verbatim apart from dim_feedforward, which the article leaves at
    PyTorch's default (2048) and which is an option here so a fixture stays small."""

    class DiffusionLM(nn.Module):
        def __init__(self):
            super().__init__()
            self.embed = nn.Embedding(VOCAB_SIZE, D_MODEL)
            self.time_embed = nn.Linear(1, D_MODEL)  # Time conditioning
            encoder_layer = nn.TransformerEncoderLayer(
                d_model=D_MODEL, nhead=N_HEADS, dim_feedforward=FFN, batch_first=True
            )
            self.transformer = nn.TransformerEncoder(encoder_layer, N_LAYERS)
            self.head = nn.Linear(D_MODEL, VOCAB_SIZE)

        def forward(self, x_t, t):
            # x_t: (B, L) token IDs with masks, t: (B, 1) masking ratio
            h = self.embed(x_t) + self.time_embed(t).unsqueeze(1)
            h = self.transformer(h)
            return self.head(h)  # (B, L, VOCAB_SIZE)

    return DiffusionLM


def reference_input(seq_len, vocab_size, mask_id, first_word):
    """Two rows: one half masked with t = 0.5, one fully masked with t = 1. Fixed, so the
    reference file is the same on every export with the same weights."""
    gen = torch.Generator().manual_seed(1234)
    words = torch.randint(first_word, vocab_size, (seq_len,), generator=gen)
    row0 = words.clone()
    row0[::2] = mask_id
    row1 = torch.full((seq_len,), mask_id, dtype=torch.long)
    x_t = torch.stack([row0, row1]).to(torch.long)
    masked = (x_t == mask_id).float().mean(dim=1, keepdim=True)
    return x_t, masked


def format_like_the_repository(paths):
    """The repository checks every JSON file with Prettier; format the outputs the same way so
    a re-export gives the committed bytes. Skipped (with a note) where npx is not installed."""
    npx = shutil.which('npx')
    if npx is None:
        print('note: npx not found, so the JSON files are not Prettier-formatted')
        return
    command = [npx, '--no-install', 'prettier', '--log-level', 'warn', '--write', *paths]
    subprocess.run(command, check=True)


def main(argv):
    args = parse_args(argv)
    vocab = read_vocabulary(args)
    mask_id = vocab.index('[MASK]')
    torch.manual_seed(args.seed)
    DiffusionLM = make_model_class(
        args.vocab_size, args.d_model, args.n_heads, args.n_layers, args.ffn
    )
    model = DiffusionLM()
    if args.weights:
        model.load_state_dict(torch.load(args.weights, map_location='cpu'))
    else:
        # nn.TransformerEncoder starts from copies of one layer, and PyTorch starts every bias at
        # 0 and every norm gain at 1. Seeded noise on every parameter makes the layers differ and
        # puts each bias and gain to work, as in a trained model, so a test against the
        # reference logits would catch a wrongly wired weight of any layer.
        with torch.no_grad():
            for p in model.parameters():
                p.add_(PERTURBATION * torch.randn_like(p))
    # eval() turns dropout off. In eval mode with autograd off nn.TransformerEncoder takes its
    # fused "fast path" (aten::_transformer_encoder_layer_fwd), which has no ONNX form; with
    # autograd on and parameters that require grad it runs the standard modules, whose ops
    # (MatMul, Softmax, LayerNormalization, …) every onnxruntime backend supports. The
    # arithmetic is the same either way.
    model.eval()
    os.makedirs(args.out, exist_ok=True)
    onnx_path = os.path.join(args.out, 'model.onnx')

    x_t, t = reference_input(args.seq_len, args.vocab_size, mask_id, len(args.special))
    with torch.enable_grad():
        torch.onnx.export(
            model,
            (x_t, t),
            onnx_path,
            input_names=['x_t', 't'],
            output_names=['logits'],
            dynamic_axes={
                'x_t': {0: 'batch', 1: 'length'},
                't': {0: 'batch'},
                'logits': {0: 'batch', 1: 'length'},
            },
            opset_version=args.opset,
            do_constant_folding=True,
        )
    # The reference goes through the same standard modules the export traced; the fused fast
    # path must agree with it, or the exported graph would not be the model PyTorch runs.
    with torch.enable_grad():
        logits = model(x_t, t).detach()
    with torch.no_grad():
        fused = model(x_t, t)
    fused_diff = (fused - logits).abs().max().item()
    if fused_diff > 1e-4:
        sys.exit(f'error: the fused and the standard forward differ by {fused_diff}')

    manifest = {
        'format': 'unmask.model/1',
        'id': args.id,
        'title': args.title,
        'description': (
            f"The article's PyTorch DiffusionLM (nn.TransformerEncoder, {args.n_layers} layers, "
            f'd_model {args.d_model}, {args.n_heads} heads, dim_feedforward {args.ffn}), '
            f'exported with torch.onnx.export by scripts/export_article_model.py. '
            + (
                f'Weights loaded from {os.path.basename(args.weights)}.'
                if args.weights
                else f'Random weights (seed {args.seed}): it writes random words.'
            )
        ),
        'kind': 'masked-diffusion',
        'onnx': 'model.onnx',
        'io': {'tokens': 'x_t', 't': 't', 'logits': 'logits', 'tokenType': 'int64'},
        'seqLen': args.seq_len,
        'vocab': vocab,
        # Only the special tokens the vocabulary has: a package may leave out [PAD] and [EOS].
        'special': {name: vocab.index(SPECIAL_NAMES[name]) for name in args.special},
        'architecture': {
            'source': 'torch.nn.TransformerEncoder (post-norm, ReLU, learned token embedding, '
            'no position embedding)',
            'dModel': args.d_model,
            'heads': args.n_heads,
            'layers': args.n_layers,
            'ffn': args.ffn,
        },
        'training': {
            'trainer': 'none' if not args.weights else 'external',
            'seed': args.seed,
            'exporter': f'torch {torch.__version__}, torch.onnx.export opset {args.opset}',
        },
    }
    with open(os.path.join(args.out, 'manifest.json'), 'w', encoding='utf-8') as f:
        json.dump(manifest, f, indent=2)
        f.write('\n')

    reference = {
        'description': 'logits of model.onnx as PyTorch computed them for a fixed input',
        'torch': torch.__version__,
        'tokens': x_t.tolist(),
        't': t.tolist(),
        'shape': list(logits.shape),
        # Full precision of float32, written as Python floats (repr round-trips exactly).
        'logits': logits.tolist(),
    }
    with open(os.path.join(args.out, 'reference.json'), 'w', encoding='utf-8') as f:
        json.dump(reference, f)
        f.write('\n')

    format_like_the_repository(
        [os.path.join(args.out, name) for name in ('manifest.json', 'reference.json')]
    )
    size = os.path.getsize(onnx_path)
    print(f'wrote {onnx_path} ({size} bytes), manifest.json and reference.json in {args.out}')
    print(f'torch {torch.__version__}; fused vs standard forward: max |diff| {fused_diff:.2e}')


if __name__ == '__main__':
    main(sys.argv[1:])
