/**
 * SameDiff helpers that keep training graphs correct on DL4J 1.0.0-M2.1: ops with correct gradients
 * ({@link io.github.dl4jgrpoma.graph.SafeOps}), a detector for ops whose backprop is broken
 * ({@link io.github.dl4jgrpoma.graph.UnsafeOps}) and a finite-difference gradient checker
 * ({@link io.github.dl4jgrpoma.graph.GradientCheck}).
 */
package io.github.dl4jgrpoma.graph;
