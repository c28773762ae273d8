#!/usr/bin/env python3
"""PyTorch peer of `bin/grpoma bench-step`: the same GRPO-MA step in eager PyTorch on the CPU.

Same model as io.github.dl4jgrpoma.policy.TransformerPolicy (GPT-2 layout, pre-LayerNorm, learned position
embedding, fused qkv projection, causal softmax attention, GELU MLP of width 4D, final LayerNorm, linear head;
every matrix N(0, 0.02^2), biases 0, gains 1) and the same step as GrpoMaTrainer.step():

  rollout    prompts prefilled once into a key/value cache, forked K times, K thoughts decoded together one
             token per step (every sampled token consumed, then the end-of-thought token appended), forked M
             times, the K*M answers decoded together (the last sampled token is not consumed); temperature 1,
             multinomial sampling with the sampled token's log-prob recorded. Fixed lengths: the head biases of
             end-of-thought and EOS are -20, so every thought and answer runs to its cap (as in the Java bench).
  reward     decode each answer to text and score it (a toy reward with spread), GRPO-MA advantages.
  pack       --row-packing per-answer: one row per answer: prompt + thought + end-of-thought + answer, inputs /
             targets / thought mask (row of answer 0 only) / answer mask / advantages / old log-probs, [K*M*P, T].
             --row-packing tree (what the Java trainer's AUTO picks for M > 1): one row per thought, the trunk
             (prompt + thought) once and each answer as a branch opened by the end-of-thought token, with position
             ids and a tree attention mask (a branch sees the trunk and itself, not its siblings), [K*P, L]; the
             same layout as io.github.dl4jgrpoma.train.TreeRows, so each thought token is forwarded once.
  reference  forward of a frozen copy of the initial weights (no grad), log-probs of the targets.
  fwd+bwd    clipped surrogate (eps 0.2) minus beta * k3 KL to the reference, sequence-mean aggregation
             (mean over thoughts of their token means plus mean over answers of theirs), metrics (clip fractions,
             approx KL, entropy), backward.
  optimizer  global-norm clipping to 1, Adam (lr 1e-3, betas 0.9 / 0.999, eps 1e-8).

Protocol (used by bench-step to interleave it with the Java runs): after building the model it prints
`ready threads=N torch=VERSION`; every stdin line `step` runs one step and prints one line of `key=value`
pairs (seconds per part, `step` = whole step, `cpu` = its process CPU seconds, `sampled` tokens, `update_tokens`, `rss_peak_kb`); `exit` ends it.
With --steps N it runs N steps on its own after --warmup and prints the medians instead.
"""
import argparse
import copy
import math
import os
import resource
import statistics
import sys
import time

import torch
import torch.nn.functional as F

PAD, BOS, EOS, BEGIN_THOUGHT, END_OF_THOUGHT, NUM_SPECIAL = 0, 1, 2, 3, 4, 5
# ordinary ids NUM_SPECIAL + i map to ALPHABET[i] (the Java bench uses the same characters)
ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ+-*/=()"


class Policy(torch.nn.Module):
    def __init__(self, v, d, layers, heads, t, gen):
        super().__init__()
        self.v, self.d, self.h, self.t = v, d, heads, t
        self.dh = d // heads

        def mat(r, c):
            return torch.nn.Parameter(torch.randn(r, c, generator=gen) * 0.02)

        def vec(n, value=0.0):
            return torch.nn.Parameter(torch.full((n,), value))

        self.wte, self.wpe = mat(v, d), mat(t, d)
        self.blocks = torch.nn.ModuleList()
        for _ in range(layers):
            b = torch.nn.Module()
            b.ln1_g, b.ln1_b = vec(d, 1.0), vec(d)
            b.wqkv, b.bqkv = mat(d, 3 * d), vec(3 * d)
            b.wo, b.bo = mat(d, d), vec(d)
            b.ln2_g, b.ln2_b = vec(d, 1.0), vec(d)
            b.w1, b.b1 = mat(d, 4 * d), vec(4 * d)
            b.w2, b.b2 = mat(4 * d, d), vec(d)
            self.blocks.append(b)
        self.lnf_g, self.lnf_b = vec(d, 1.0), vec(d)
        self.w_head, self.b_head = mat(d, v), vec(v)
        self.register_buffer("causal", torch.full((t, t), -1e9).triu(1))

    def mlp(self, b, x):
        m = F.gelu(torch.addmm(b.b1, F.layer_norm(x, (self.d,), b.ln2_g, b.ln2_b), b.w1), approximate="tanh")
        return torch.addmm(b.b2, m, b.w2)

    def forward(self, tokens, positions=None, mask=None):
        """Logits [B,T,V] of a pass over tokens [B,T]: causal, or with position ids [T] and an additive mask [T,T]."""
        bsz, t = tokens.shape
        pos = self.wpe[:t] if positions is None else self.wpe[positions]
        att_mask = self.causal[:t, :t] if mask is None else mask
        x = (self.wte[tokens] + pos).reshape(bsz * t, self.d)
        for b in self.blocks:
            qkv = torch.addmm(b.bqkv, F.layer_norm(x, (self.d,), b.ln1_g, b.ln1_b), b.wqkv)
            q, k, v = qkv.reshape(bsz, t, 3, self.h, self.dh).permute(2, 0, 3, 1, 4)
            s = q @ k.transpose(-1, -2) / math.sqrt(self.dh) + att_mask
            y = (torch.softmax(s, -1) @ v).permute(0, 2, 1, 3).reshape(bsz * t, self.d)
            x = x + torch.addmm(b.bo, y, b.wo)
            x = x + self.mlp(b, x)
        x = F.layer_norm(x, (self.d,), self.lnf_g, self.lnf_b)
        return torch.addmm(self.b_head, x, self.w_head).reshape(bsz, t, self.v)


class KvCache:
    """Keys and values [rows, H, T, dh] per layer; all rows have the same length (fixed-length rollouts)."""

    def __init__(self, policy, rows):
        p = policy
        self.p, self.rows, self.len = p, rows, 0
        shape = (rows, p.h, p.t, p.dh)
        self.k = [torch.empty(shape) for _ in p.blocks]
        self.v = [torch.empty(shape) for _ in p.blocks]

    def fork(self, idx):
        c = KvCache.__new__(KvCache)
        c.p, c.rows, c.len = self.p, len(idx), self.len
        c.k = [k.index_select(0, idx) for k in self.k]
        c.v = [v.index_select(0, idx) for v in self.v]
        return c

    def consume(self, tokens):
        """Appends tokens [rows, n]; returns the next-token logits [rows, V]."""
        p, n, s0 = self.p, tokens.shape[1], self.len
        s = s0 + n
        x = (p.wte[tokens] + p.wpe[s0:s]).reshape(self.rows * n, p.d)
        for l, b in enumerate(p.blocks):
            qkv = torch.addmm(b.bqkv, F.layer_norm(x, (p.d,), b.ln1_g, b.ln1_b), b.wqkv)
            q, k, v = qkv.reshape(self.rows, n, 3, p.h, p.dh).permute(2, 0, 3, 1, 4)
            self.k[l][:, :, s0:s] = k
            self.v[l][:, :, s0:s] = v
            att = q @ self.k[l][:, :, :s].transpose(-1, -2) / math.sqrt(p.dh)
            if n > 1:
                att = att + p.causal[s0:s, :s]
            y = (torch.softmax(att, -1) @ self.v[l][:, :, :s]).permute(0, 2, 1, 3).reshape(self.rows * n, p.d)
            x = x + torch.addmm(b.bo, y, b.wo)
            x = x + p.mlp(b, x)
        self.len = s
        x = x.reshape(self.rows, n, p.d)[:, -1]
        return torch.addmm(p.b_head, F.layer_norm(x, (p.d,), p.lnf_g, p.lnf_b), p.w_head)


def sample(logits, gen):
    logp = torch.log_softmax(logits, -1)
    tok = torch.multinomial(logp.exp(), 1, generator=gen)
    return tok, logp.gather(1, tok).squeeze(1)


@torch.no_grad()
def rollout(policy, prompts, k, m, thought, answer, gen):
    np_ = prompts.shape[0]
    cache = KvCache(policy, np_)
    logits = cache.consume(prompts)
    rows = torch.arange(np_).repeat_interleave(k)
    cache, logits = cache.fork(rows), logits.index_select(0, rows)
    th_tok, th_lp = [], []
    for _ in range(thought):
        tok, lp = sample(logits, gen)
        th_tok.append(tok)
        th_lp.append(lp)
        logits = cache.consume(tok)
    logits = cache.consume(torch.full((np_ * k, 1), END_OF_THOUGHT, dtype=torch.long))
    rows = torch.arange(np_ * k).repeat_interleave(m)
    cache, logits = cache.fork(rows), logits.index_select(0, rows)
    an_tok, an_lp = [], []
    for i in range(answer):
        tok, lp = sample(logits, gen)
        an_tok.append(tok)
        an_lp.append(lp)
        if i < answer - 1:
            logits = cache.consume(tok)
    return torch.cat(th_tok, 1), torch.stack(th_lp, 1), torch.cat(an_tok, 1), torch.stack(an_lp, 1)


def score(text):
    """Toy reward with spread: fraction of digits in the answer text."""
    return sum(ch.isdigit() for ch in text) / max(1, len(text))


def advantages(rewards, k, m, delta=1e-4):
    """GRPO-MA: thought values = mean of their answers, normalised over K; answers normalised over K*M."""
    def norm(xs):
        mu = sum(xs) / len(xs)
        sd = statistics.stdev(xs) if len(xs) > 1 else 0.0
        return [0.0 if sd == 0 else (x - mu) / (sd + delta) for x in xs]
    values = [sum(rewards[i * m:(i + 1) * m]) / m for i in range(k)]
    return norm(values) if k > 1 else [0.0] * k, norm(rewards)


def pack(prompts, th_tok, th_lp, an_tok, an_lp, adv_th, adv_ans, k, m, t):
    np_, plen = prompts.shape
    rows = np_ * k * m
    th_len, an_len = th_tok.shape[1], an_tok.shape[1]
    tokens = torch.full((rows, t), PAD, dtype=torch.long)
    targets = torch.full((rows, t), PAD, dtype=torch.long)
    th_mask, an_mask, adv, old = (torch.zeros(rows, t) for _ in range(4))
    eot = torch.tensor([END_OF_THOUGHT])
    for r in range(rows):
        tr = r // m
        seq = torch.cat([prompts[tr // k], th_tok[tr], eot, an_tok[r]])
        n = min(len(seq), t)
        tokens[r, :n] = seq[:n]
        targets[r, :len(seq) - 1] = seq[1:]
        if r % m == 0:
            th_mask[r, plen - 1:plen - 1 + th_len] = 1
            adv[r, plen - 1:plen - 1 + th_len] = adv_th[tr]
            old[r, plen - 1:plen - 1 + th_len] = th_lp[tr]
        a0 = plen + th_len + 1 - 1
        an_mask[r, a0:a0 + an_len] = 1
        adv[r, a0:a0 + an_len] = adv_ans[r]
        old[r, a0:a0 + an_len] = an_lp[r]
    return tokens, targets, th_mask, an_mask, adv, old


def pack_tree(prompts, th_tok, th_lp, an_tok, an_lp, adv_th, adv_ans, k, m):
    """One row per thought (fixed lengths, so every row has the same layout): trunk = prompt + thought (positions
    0..P+n-1, the last one predicting the end-of-thought), then per answer the branch [end-of-thought, answer[:-1]]
    at positions P+n.. predicting the answer. Returns the arrays, the position ids [L] and the additive mask [L,L]."""
    np_, plen = prompts.shape
    rows = np_ * k
    n, a = th_tok.shape[1], an_tok.shape[1]
    trunk = plen + n
    length = trunk + m * a
    tokens = torch.full((rows, length), PAD, dtype=torch.long)
    targets = torch.full((rows, length), PAD, dtype=torch.long)
    th_mask, an_mask, adv, old = (torch.zeros(rows, length) for _ in range(4))
    tokens[:, :plen] = prompts.repeat_interleave(k, 0)
    tokens[:, plen:trunk] = th_tok
    targets[:, :trunk - 1] = tokens[:, 1:trunk]
    targets[:, trunk - 1] = END_OF_THOUGHT
    th_mask[:, plen - 1:trunk - 1] = 1
    adv[:, plen - 1:trunk - 1] = torch.tensor(adv_th).unsqueeze(1)
    old[:, plen - 1:trunk - 1] = th_lp
    ans = an_tok.reshape(rows, m, a)
    ans_adv = torch.tensor(adv_ans).reshape(rows, m)
    ans_lp = an_lp.reshape(rows, m, a)
    positions = torch.cat([torch.arange(trunk)] + [torch.arange(trunk, trunk + a)] * m)
    mask = torch.full((length, length), -1e9)
    mask[:trunk, :trunk] = torch.full((trunk, trunk), -1e9).triu(1)
    for j in range(m):
        b0 = trunk + j * a
        tokens[:, b0] = END_OF_THOUGHT
        tokens[:, b0 + 1:b0 + a] = ans[:, j, :a - 1]
        targets[:, b0:b0 + a] = ans[:, j]
        an_mask[:, b0:b0 + a] = 1
        adv[:, b0:b0 + a] = ans_adv[:, j:j + 1]
        old[:, b0:b0 + a] = ans_lp[:, j]
        mask[b0:b0 + a, :trunk] = 0
        mask[b0:b0 + a, b0:b0 + a] = torch.full((a, a), -1e9).triu(1)
    return tokens, targets, th_mask, an_mask, adv, old, positions, mask


def token_logp(logits, targets):
    return torch.log_softmax(logits, -1).gather(2, targets.unsqueeze(2)).squeeze(2)


def loss_fn(logits, targets, th_mask, an_mask, adv, old, ref, beta, eps=0.2):
    logp_all = torch.log_softmax(logits, -1)
    logp = logp_all.gather(2, targets.unsqueeze(2)).squeeze(2)
    mask = th_mask + an_mask
    ratio = torch.exp((logp - old) * mask)
    am = adv * mask
    surr = torch.minimum(ratio * am, ratio.clamp(1 - eps, 1 + eps) * am)
    d = (ref - logp) * mask
    kl = torch.exp(d) - d - 1
    o = surr - beta * kl

    def mean_of_row_means(msk):
        # fixed lengths: a tree row's M answers have equal token counts, so its row mean is the mean of their means
        cnt = msk.sum(1)
        return ((o * msk).sum(1) / cnt.clamp(min=1)).sum() / (cnt > 0).sum().clamp(min=1)
    loss = -(mean_of_row_means(th_mask) + mean_of_row_means(an_mask))
    with torch.no_grad():
        n = mask.sum().clamp(min=1)
        metrics = {
            "kl": (kl * mask).sum() / n,
            "approx_kl": ((ratio - 1 - torch.log(ratio)) * mask).sum() / n,
            "clip_low": (mask * (adv < 0) * (ratio < 1 - eps)).sum() / n,
            "clip_high": (mask * (adv > 0) * (ratio > 1 + eps)).sum() / n,
            "entropy": (-(logp_all.exp() * logp_all).sum(2) * mask).sum() / n,
        }
    return loss, metrics


def peak_rss_kb():
    """VmHWM of this process; ru_maxrss would include the parent's peak, which Linux keeps across execve."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


class Bench:
    def __init__(self, a):
        torch.manual_seed(a.seed)
        self.a = a
        self.gen = torch.Generator().manual_seed(a.seed)
        t = a.prompt_length + a.thought + 1 + a.answer
        self.t = t
        self.policy = Policy(a.vocab, a.width, a.layers, a.heads, t, self.gen)
        with torch.no_grad():
            self.policy.b_head[END_OF_THOUGHT] = -20.0
            self.policy.b_head[EOS] = -20.0
        self.reference = copy.deepcopy(self.policy).requires_grad_(False)
        self.opt = torch.optim.Adam(self.policy.parameters(), lr=1e-3, betas=(0.9, 0.999), eps=1e-8)
        body = torch.randint(NUM_SPECIAL, a.vocab, (a.prompts, a.prompt_length), generator=self.gen)
        body[:, 0], body[:, -1] = BOS, BEGIN_THOUGHT
        self.prompts = body
        self.metrics = {}

    def step(self):
        a, k, m = self.a, self.a.k, self.a.m
        cpu0 = time.process_time()
        t0 = time.perf_counter()
        th_tok, th_lp, an_tok, an_lp = rollout(self.policy, self.prompts, k, m, a.thought, a.answer, self.gen)
        t1 = time.perf_counter()
        adv_th, adv_ans = [], []
        answers = an_tok.tolist()
        for p in range(a.prompts):
            rewards = [score("".join(ALPHABET[i - NUM_SPECIAL] if i >= NUM_SPECIAL else "?" for i in ans))
                       for ans in answers[p * k * m:(p + 1) * k * m]]
            at, aa = advantages(rewards, k, m)
            adv_th += at
            adv_ans += aa
        t2 = time.perf_counter()
        if a.row_packing == "tree":
            tokens, targets, th_mask, an_mask, adv, old, positions, mask = pack_tree(
                self.prompts, th_tok, th_lp, an_tok, an_lp, adv_th, adv_ans, k, m)
        else:
            tokens, targets, th_mask, an_mask, adv, old = pack(self.prompts, th_tok, th_lp, an_tok, an_lp, adv_th,
                                                               adv_ans, k, m, self.t)
            positions, mask = None, None
        t3 = time.perf_counter()
        with torch.no_grad():
            ref = token_logp(self.reference(tokens, positions, mask), targets)
        t4 = time.perf_counter()
        self.opt.zero_grad(set_to_none=True)
        loss, metrics = loss_fn(self.policy(tokens, positions, mask), targets, th_mask, an_mask, adv, old, ref, a.beta)
        loss.backward()
        t5 = time.perf_counter()
        torch.nn.utils.clip_grad_norm_(self.policy.parameters(), 1.0)
        self.opt.step()
        t6 = time.perf_counter()
        self.loss, self.metrics = float(loss), {n: float(v) for n, v in metrics.items()}
        return {"rollout": t1 - t0, "reward": t2 - t1, "pack": t3 - t2, "reference": t4 - t3,
                "forward_backward": t5 - t4, "optimizer": t6 - t5, "step": time.perf_counter() - t0, "cpu": time.process_time() - cpu0,
                "sampled": th_tok.numel() + an_tok.numel(), "update_tokens": tokens.numel(),
                "rss_peak_kb": peak_rss_kb()}


def check_packing():
    """Tree rows against one row per answer on a small model in double precision: the loss, the gradients and the
    metrics must agree (they are the same sums in another layout). Returns the largest difference."""
    torch.set_default_dtype(torch.float64)
    a = argparse.Namespace(width=32, layers=2, heads=4, vocab=64, prompts=3, prompt_length=5, thought=6, answer=4,
                           k=2, m=3, seed=1, beta=0.04)
    bench = Bench(a)
    th_tok, th_lp, an_tok, an_lp = rollout(bench.policy, bench.prompts, a.k, a.m, a.thought, a.answer, bench.gen)
    g = torch.Generator().manual_seed(3)
    adv_th = torch.randn(a.prompts * a.k, generator=g).tolist()
    adv_ans = torch.randn(a.prompts * a.k * a.m, generator=g).tolist()
    with torch.no_grad():                      # move off the sampling weights: ratio != 1, reference KL != 0
        for p in bench.policy.parameters():
            p.add_(0.01 * torch.randn(p.shape, generator=g))

    def run(tree):
        if tree:
            t, tg, thm, anm, adv, old, pos, mask = pack_tree(bench.prompts, th_tok, th_lp, an_tok, an_lp, adv_th,
                                                             adv_ans, a.k, a.m)
        else:
            t, tg, thm, anm, adv, old = pack(bench.prompts, th_tok, th_lp, an_tok, an_lp, adv_th, adv_ans, a.k, a.m,
                                             bench.t)
            pos, mask = None, None
        with torch.no_grad():
            ref = token_logp(bench.reference(t, pos, mask), tg)
        bench.policy.zero_grad()
        loss, metrics = loss_fn(bench.policy(t, pos, mask), tg, thm, anm, adv, old, ref, a.beta)
        loss.backward()
        return [loss.detach()] + [p.grad.clone() for p in bench.policy.parameters()] + list(metrics.values())
    per_answer, tree = run(False), run(True)
    worst = max(float((x - y).abs().max()) for x, y in zip(per_answer, tree))
    print(f"tree rows vs one row per answer (double): max |difference| of loss, gradients and metrics = {worst:.3g}")
    return worst


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    for name, default in [("width", 128), ("layers", 4), ("heads", 4), ("vocab", 64), ("prompts", 8),
                          ("prompt-length", 16), ("thought", 48), ("answer", 8), ("k", 4), ("m", 4), ("seed", 1),
                          ("threads", os.cpu_count() or 1), ("steps", 0), ("warmup", 2)]:
        ap.add_argument("--" + name, type=int, default=default)
    ap.add_argument("--beta", type=float, default=0.04)
    ap.add_argument("--row-packing", choices=["per-answer", "tree"], default="per-answer")
    ap.add_argument("--check-packing", action="store_true",
                    help="check that tree rows give the loss and gradients of one row per answer, then exit")
    a = ap.parse_args()
    if a.check_packing:
        sys.exit(0 if check_packing() <= 1e-10 else 1)
    torch.set_num_threads(a.threads)
    bench = Bench(a)
    if a.steps > 0:
        for _ in range(a.warmup):
            bench.step()
        runs = [bench.step() for _ in range(a.steps)]
        print(" ".join(f"{k}={statistics.median(r[k] for r in runs):.6g}" for k in runs[0]))
        return
    print(f"ready threads={torch.get_num_threads()} torch={torch.__version__}", flush=True)
    for line in sys.stdin:
        cmd = line.strip()
        if cmd == "exit":
            break
        if cmd == "step":
            print(" ".join(f"{k}={v:.6g}" if isinstance(v, float) else f"{k}={v}" for k, v in bench.step().items()),
                  flush=True)
        elif cmd:
            print(f"error unknown command '{cmd}' (use step or exit)", flush=True)


if __name__ == "__main__":
    main()
