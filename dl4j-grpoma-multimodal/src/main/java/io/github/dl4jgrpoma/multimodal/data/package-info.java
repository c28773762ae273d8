/**
 * Image data for the multimodal examples: a reader of IDX files ({@link io.github.dl4jgrpoma.multimodal.data.IdxReader})
 * and the MNIST splits ({@link io.github.dl4jgrpoma.multimodal.data.MnistImages}) installed outside the source
 * tree by {@code scripts/fetch-mnist.sh} and verified by SHA-256.
 */
package io.github.dl4jgrpoma.multimodal.data;
