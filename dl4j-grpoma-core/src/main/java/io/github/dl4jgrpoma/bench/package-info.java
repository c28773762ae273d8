/** Benchmarks with a {@code main}, run by hand (not tests): rollout throughput ({@link io.github.dl4jgrpoma.bench.RolloutBenchmark}). */
package io.github.dl4jgrpoma.bench;
