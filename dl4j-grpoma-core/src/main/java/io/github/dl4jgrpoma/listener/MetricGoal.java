package io.github.dl4jgrpoma.listener;

/** Whether larger or smaller values of a monitored metric are better. */
public enum MetricGoal {
    /** Larger is better (rewards, accuracy). */
    MAXIMIZE,
    /** Smaller is better (losses). */
    MINIMIZE
}
