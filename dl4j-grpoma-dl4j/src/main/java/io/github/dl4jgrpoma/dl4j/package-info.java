/**
 * GRPO-MA inside ordinary DL4J pipelines (module {@code dl4j-grpoma-dl4j}, depends on {@code deeplearning4j-nn}).
 *
 * <ul>
 *   <li>{@link io.github.dl4jgrpoma.dl4j.GrpoMaSameDiffLoss}: the clipped GRPO-MA loss as a DL4J
 *       {@code SameDiffLoss} for an {@code RnnOutputLayer}; {@link io.github.dl4jgrpoma.dl4j.GrpoMaLabels} builds its
 *       label layout (target, advantage and old log-prob per position) from core's packed batch.</li>
 *   <li>{@link io.github.dl4jgrpoma.dl4j.RecurrentNetworkDecoder}: rollouts of a recurrent
 *       {@code MultiLayerNetwork} / {@code ComputationGraph} with {@code rnnTimeStep}, state forked per branch.</li>
 *   <li>{@link io.github.dl4jgrpoma.dl4j.GrpoMaDataSetIterator}: GRPO-MA batches sampled from the live network, so
 *       {@code net.fit(iterator, epochs)} is GRPO-MA training.</li>
 *   <li>{@link io.github.dl4jgrpoma.dl4j.GrpoMaListenerBridge}: DL4J listener reporting to the library's
 *       listeners; {@link io.github.dl4jgrpoma.dl4j.GrpoMaCheckpoints}: {@code ModelSerializer} checkpoints.</li>
 *   <li>{@link io.github.dl4jgrpoma.dl4j.SftDataSets}, {@link io.github.dl4jgrpoma.dl4j.GrpoMaNetworks}: the
 *       supervised warm-up data and the switch of a warmed-up character model to the GRPO-MA loss.</li>
 *   <li>{@link io.github.dl4jgrpoma.dl4j.OffHeapGcListener}: {@code System.gc()} per update, which releases the
 *       off-heap arrays of networks trained without workspaces (as the GRPO-MA loss needs).</li>
 * </ul>
 */
package io.github.dl4jgrpoma.dl4j;
