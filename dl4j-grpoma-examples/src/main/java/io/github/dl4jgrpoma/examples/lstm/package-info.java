/** {@code bin/grpoma lstm}: the math task with a DL4J LSTM {@code MultiLayerNetwork} trained by {@code net.fit}. */
package io.github.dl4jgrpoma.examples.lstm;
