/**
 * The built-in decoder-only transformer: {@link io.github.dl4jgrpoma.transformer.TransformerPolicy} (a SameDiff
 * graph built from a {@link io.github.dl4jgrpoma.transformer.TransformerConfig}) and the key/value-cache decoder
 * it returns from {@code decoder()} ({@link io.github.dl4jgrpoma.transformer.KvCacheDecoder}), which reproduces the
 * graph's forward pass op for op in plain INDArray code and reads the graph's weight arrays in place. The decoder
 * lives next to the model because it depends on the model's exact layout; rollouts only see the
 * {@link io.github.dl4jgrpoma.rollout.IncrementalDecoder} interface.
 */
package io.github.dl4jgrpoma.transformer;
