package io.github.dl4jgrpoma.train;

/**
 * Where the update's old log-probs ({@code log pi_old(token)} in the PPO ratio) come from.
 *
 * <p>The rollout records each sampled token's log-prob while decoding; the update's forward pass computes the same
 * quantity from the packed rows. Both are the same function of the same weights, but batched float products round
 * differently for different batch shapes: a rollout decoded in shards (threads, Spark partitions) gives log-probs that
 * differ from one engine call in the 7th digit, and Adam's per-parameter normalisation carries that into the
 * weights (measured: 3.2e-5 after 3 steps on Spark {@code local[2]}, issue 14). Recomputing the old log-probs on the
 * trainer makes the update a function of the tokens, rewards and weights alone, so any sharding of the rollout that
 * samples the same tokens gives bit-identical weights (tokens are the same unless a draw falls within rounding of a
 * boundary of the sampling distribution; see {@link RolloutExecutor}). verl does the same ({@code recompute_log_prob}) because its inference engine's log-probs
 * differ from the trainer's; TRL recomputes when it reuses a batch for several updates.
 */
public enum OldLogProbs {
    /**
     * The default: {@link #RECOMPUTE} when the rollout executor decodes the step in shards whose log-probs may round
     * differently from one engine call ({@link RolloutExecutor#reproducesEngineLogProbs()} is false: the thread pool
     * with 2 or more threads, the default {@link RolloutExecutorFactory#auto()}, the Spark executor), else {@link #ROLLOUT}.
     * Our choice: exactness across deployments where it costs something to lose it, no extra forward pass with the
     * in-process executor (the default when the update differentiates the graph, where recomputing costs a pass).
     */
    AUTO,
    /** The log-probs recorded while sampling: no extra cost. */
    ROLLOUT,
    /**
     * The policy's own log-probs of the packed rows before the first inner epoch, so the first epoch's ratio is exactly
     * 1. A policy with its own forward and backward pass ({@link io.github.dl4jgrpoma.policy.PolicyModel#logitsBackprop},
     * the built-in text transformer) takes them from the first epoch's forward pass at no extra cost; otherwise one extra
     * forward pass of the graph (no backward; measured 12-65 % of the forward + backward time in short math runs on a
     * shared machine). {@code time/old_logprobs_ms} is the time spent on them. The rollout's own log-probs
     * are then only compared with it: the first-step on-policy check and the metrics
     * {@code rollout/logprob_diff_max} and {@code rollout/logprob_diff_mean} (over loss tokens).
     */
    RECOMPUTE
}
