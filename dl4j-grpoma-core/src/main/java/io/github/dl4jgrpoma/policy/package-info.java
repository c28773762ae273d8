/**
 * The policy extension point ({@link io.github.dl4jgrpoma.policy.PolicyModel}: any SameDiff causal language model
 * exposing an INT token placeholder and logits), a generic wrapper for user graphs
 * ({@link io.github.dl4jgrpoma.policy.SameDiffPolicy}), a small decoder-only transformer for examples and tests
 * ({@link io.github.dl4jgrpoma.transformer.TransformerPolicy} built from a
 * {@link io.github.dl4jgrpoma.transformer.TransformerConfig}) and tokenizers with the thought/answer boundary tokens
 * ({@link io.github.dl4jgrpoma.policy.Tokenizer}, {@link io.github.dl4jgrpoma.policy.CharTokenizer}).
 */
package io.github.dl4jgrpoma.policy;
